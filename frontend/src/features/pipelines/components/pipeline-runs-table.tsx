import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/status-badge';
import { formatDuration } from '../../../lib/format';
import type { PipelineRun } from '../api/pipeline-queries';
import { Timestamp } from '../../../components/timestamp';

interface PipelineRunsTableProps {
  provider: string;
  runs: PipelineRun[];
}

const triggerLabels: Record<PipelineRun['triggerSource'], string> = { ui: 'web', api: 'API', ci: 'CI' };

/** Steps done (completed, or skipped as up to date) out of all: "2/3 steps". */
function stepProgress(run: PipelineRun): string {
  const done = run.steps.filter((step) => step.status === 'completed' || step.status === 'skipped').length;
  return `${done}/${run.steps.length} steps`;
}

export function PipelineRunsTable({ provider, runs }: PipelineRunsTableProps) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Run history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Run</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Triggered by</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Finished</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Progress</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td>
                <Anchor component={Link} to={`/${provider}/pipeline-runs/${run.id}`} fw={500}>
                  #{run.number}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={run.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {run.triggeredBy}{' '}
                  <Text span size="xs" c="dimmed">
                    ({triggerLabels[run.triggerSource] ?? run.triggerSource})
                  </Text>
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Timestamp iso={run.startedAt ?? run.createdAt} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Timestamp iso={run.finishedAt} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{run.finishedAt ? formatDuration(run.startedAt ?? run.createdAt, run.finishedAt) : '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{stepProgress(run)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
