import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useDocumentTitle } from '../lib/use-document-title';

interface PageHeaderProps {
  title: string;
  /** The browser tab's title when it should differ from the heading; the heading otherwise. */
  documentTitle?: string;
  description?: ReactNode;
  /** Primary actions shown on the right, e.g. a "Create" button. */
  actions?: ReactNode;
}

export function PageHeader({ title, documentTitle, description, actions }: PageHeaderProps) {
  useDocumentTitle(documentTitle ?? title);
  return (
    <Group justify="space-between" align="flex-start" mb="lg" wrap="wrap">
      <Stack gap={4}>
        {/* Focusable from script: where focus goes when an action leaves nothing else to do next. */}
        <Title order={1} size="h2" tabIndex={-1} style={{ outlineOffset: 4 }}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}
