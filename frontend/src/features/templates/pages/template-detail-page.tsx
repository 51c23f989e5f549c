import { Anchor, Badge, Button, Card, Center, Code, Group, List, Loader, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { EmptyState } from '../../../components/empty-state';
import { Guarded } from '../../../components/guarded';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { Timestamp } from '../../../components/timestamp';
import { useProviderParam } from '../../../lib/use-provider';
import { useCan } from '../../access/api/permissions';
import { templateQueries, type TemplateVariable } from '../api/template-queries';

function VariableRows({ variables, depth = 0 }: { variables: TemplateVariable[]; depth?: number }) {
  return variables.map((variable) => (
    <Fragment key={variable.name}>
      <Table.Tr data-variable={variable.name}>
        <Table.Td style={{ paddingLeft: 12 + depth * 20 }}>
          <Code>{variable.name}</Code>
          {variable.required && (
            <>
              <Text span c="red" ml={4} aria-hidden>
                *
              </Text>
              <VisuallyHidden> (required)</VisuallyHidden>
            </>
          )}
        </Table.Td>
        <Table.Td>
          <Code>{variable.type}</Code>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{variable.description || '—'}</Text>
          {variable.options && variable.options.length > 0 && (
            <Text size="xs" c="dimmed">{`One of: ${variable.options.map(String).join(', ')}`}</Text>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" ff="monospace">
            {variable.default === undefined || variable.default === null ? '—' : JSON.stringify(variable.default)}
          </Text>
        </Table.Td>
        <Table.Td>{variable.sensitive ? <Badge color="grape" variant="light">Sensitive</Badge> : null}</Table.Td>
      </Table.Tr>
      {variable.fields && variable.fields.length > 0 && <VariableRows variables={variable.fields} depth={depth + 1} />}
    </Fragment>
  ));
}

/** One template: its variables (type, description, default, sensitive), outputs, files, version and last sync. */
export function TemplateDetailPage() {
  const provider = useProviderParam();
  const { templateId = '' } = useParams();
  const template = useQuery(templateQueries.detail(templateId));
  const can = useCan();

  if (template.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the template" />
      </Center>
    );
  }
  if (template.isError) {
    if (isApiError(template.error) && template.error.status === 404) {
      return (
        <EmptyState
          title="Template not found"
          description="There is no template with this id."
          action={
            <Button component={Link} to={`/${provider}/templates`}>
              Go to templates
            </Button>
          }
        />
      );
    }
    return <ErrorAlert error={template.error} title="Could not load the template" onRetry={() => void template.refetch()} />;
  }
  const t = template.data;
  const outputs = t.outputs;

  return (
    <>
      <PageHeader
        title={t.name}
        documentTitle={`${t.name} · Templates`}
        description={
          <Anchor component={Link} to={`/${provider}/templates`} size="sm">
            ← All templates
          </Anchor>
        }
        actions={
          !t.removed && (
            <Guarded permission={can('deployments.edit')}>
              <Button component={Link} to={`/${provider}/deployments/new?templateId=${encodeURIComponent(t.id)}`}>
                Create deployment
              </Button>
            </Guarded>
          )
        }
      />
      <Stack gap="lg">
        <Card withBorder padding="lg" component="section" aria-labelledby="template-overview-title">
          <Title order={2} size="h4" mb="sm" id="template-overview-title">
            Overview
          </Title>
          <Stack gap={6}>
            <Text size="sm">{t.description || 'No description.'}</Text>
            <Group gap="xs" wrap="wrap">
              <Badge variant="light" tt="none">
                {t.category}
              </Badge>
              {t.removed && (
                <Badge color="red" variant="light">
                  Removed from the source
                </Badge>
              )}
            </Group>
            <Text size="sm">
              {'Version '}
              <Code title={t.version}>{t.version.slice(0, 12)}</Code>
              {' · last synced '}
              <Timestamp iso={t.updatedAt} />
            </Text>
          </Stack>
        </Card>

        <Card withBorder padding="lg" component="section" aria-labelledby="template-variables-title">
          <Title order={2} size="h4" mb="sm" id="template-variables-title">
            Variables
          </Title>
          {t.variables.length === 0 ? (
            <Text size="sm" c="dimmed">
              This template takes no variables.
            </Text>
          ) : (
            // Nothing in the table takes focus: the scrolling region itself must, for keyboard users on a narrow screen.
            <Table.ScrollContainer minWidth={640} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
              <Table verticalSpacing="xs" aria-label="Variables">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Description</Table.Th>
                    <Table.Th>Default</Table.Th>
                    <Table.Th>Sensitive</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  <VariableRows variables={t.variables} />
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>

        <Card withBorder padding="lg" component="section" aria-labelledby="template-outputs-title">
          <Title order={2} size="h4" mb="sm" id="template-outputs-title">
            Outputs
          </Title>
          {outputs.length === 0 ? (
            <Text size="sm" c="dimmed">
              This template has no outputs.
            </Text>
          ) : (
            <List spacing={4} size="sm" aria-label="Outputs">
              {outputs.map((output) => (
                <List.Item key={output.name}>
                  <Code>{output.name}</Code>
                  {output.sensitive && (
                    <Badge color="grape" variant="light" ml="xs" size="sm">
                      Sensitive
                    </Badge>
                  )}
                  {output.description ? ` — ${output.description}` : ''}
                </List.Item>
              ))}
            </List>
          )}
        </Card>

        <Card withBorder padding="lg" component="section" aria-labelledby="template-files-title">
          <Title order={2} size="h4" mb="sm" id="template-files-title">
            Files
          </Title>
          <List spacing={2} size="sm" aria-label="Files">
            {t.files.map((file) => (
              <List.Item key={file}>
                <Code>{file}</Code>
              </List.Item>
            ))}
          </List>
        </Card>
      </Stack>
    </>
  );
}
