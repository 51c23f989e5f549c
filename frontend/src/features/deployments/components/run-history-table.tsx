import { Anchor, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/status-badge';
import { formatDateTime, formatDuration, humaniseStatus } from '../../../lib/format';
import type { DeploymentRun } from '../api/deployment-queries';
import { Timestamp } from '../../../components/timestamp';

interface RunHistoryTableProps {
  provider: string;
  runs: DeploymentRun[];
}

export function RunHistoryTable({ provider, runs }: RunHistoryTableProps) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing="xs" aria-label="Run history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Operation</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Triggered by</Table.Th>
            <Table.Th>Queued</Table.Th>
            <Table.Th>Finished</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Run</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td>
                {humaniseStatus(run.operation)}
                {run.pipelineRun && (
                  <Text size="xs" c="dimmed">
                    {'from '}
                    <Anchor component={Link} to={`/${provider}/pipeline-runs/${run.pipelineRun.id}`} size="xs">
                      {`Run #${run.pipelineRun.number} of ${run.pipelineRun.pipelineName}`}
                    </Anchor>
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={run.status} />
              </Table.Td>
              <Table.Td>{run.triggeredBy}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Timestamp iso={run.queuedAt} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Timestamp iso={run.finishedAt} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{run.finishedAt ? formatDuration(run.startedAt ?? run.queuedAt, run.finishedAt) : '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/${provider}/runs/${run.id}`} size="sm">
                  View run
                  <VisuallyHidden>{` (${run.operation}, queued ${formatDateTime(run.queuedAt)})`}</VisuallyHidden>
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
