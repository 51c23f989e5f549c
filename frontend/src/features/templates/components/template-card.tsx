import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { Link } from 'react-router';
import { Guarded, type GuardPermission } from '../../../components/guarded';
import { templateHref } from '../../../lib/area-links';
import type { Template } from '../api/template-queries';

const categoryColors: Record<string, string> = {
  infrastructure: 'indigo',
  application: 'cyan',
  database: 'grape',
  combo: 'teal',
};

interface TemplateCardProps {
  template: Template;
  /** Where "Create deployment" goes: the wizard with this template chosen. */
  createHref: string;
  /** Whether the user may create deployments. */
  creating: GuardPermission;
}

export function TemplateCard({ template, createHref, creating }: TemplateCardProps) {
  const titleId = useId();
  const variableCount = template.variables.length;
  return (
    <Card component="article" aria-labelledby={titleId} withBorder padding="lg" radius="md">
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h4" id={titleId}>
            <Anchor component={Link} to={templateHref(template.provider, template.id)} inherit>
              {template.name}
            </Anchor>
          </Title>
          <Badge color={categoryColors[template.category] ?? 'gray'} variant="light" tt="none">
            {template.category}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed" lineClamp={4} style={{ flexGrow: 1 }}>
          {template.description || 'No description.'}
        </Text>
        <Group justify="space-between" align="center">
          <Text size="sm">{`${variableCount} ${variableCount === 1 ? 'variable' : 'variables'}`}</Text>
          <Guarded permission={creating}>
            <Button component={Link} to={createHref} size="xs" aria-label={`Create deployment from ${template.name}`}>
              Create deployment
            </Button>
          </Guarded>
        </Group>
      </Stack>
    </Card>
  );
}
