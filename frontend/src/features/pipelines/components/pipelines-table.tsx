import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/status-badge';
import { formatDateTime, humaniseStatus } from '../../../lib/format';
import type { PipelineSummary } from '../api/pipeline-queries';

interface PipelinesTableProps {
  pipelines: PipelineSummary[];
}

export function PipelinesTable({ pipelines }: PipelinesTableProps) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Pipelines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th>Steps</Table.Th>
            <Table.Th>Last run</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pipelines.map((pipeline) => (
            <Table.Tr key={pipeline.id}>
              <Table.Td>
                <Anchor component={Link} to={`/${pipeline.provider}/pipelines/${pipeline.id}`} fw={500}>
                  {pipeline.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={pipeline.description ? undefined : 'dimmed'} lineClamp={2}>
                  {pipeline.description || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{pipeline.stepCount}</Text>
              </Table.Td>
              <Table.Td>
                {pipeline.lastRunStatus && pipeline.lastRunId ? (
                  <Anchor
                    component={Link}
                    to={`/${pipeline.provider}/pipeline-runs/${pipeline.lastRunId}`}
                    aria-label={`${humaniseStatus(pipeline.lastRunStatus)}: last run of ${pipeline.name}`}
                  >
                    <StatusBadge status={pipeline.lastRunStatus} />
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    Never run
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(pipeline.updatedAt)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
