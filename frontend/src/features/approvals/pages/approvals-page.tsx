import { Anchor, Center, Loader, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { PlanSummary } from '../../../components/plan-summary';
import { formatDateTime } from '../../../lib/format';
import { shortHash } from '../../../lib/short-hash';
import { useProviderParam } from '../../../lib/use-provider';
import { approvalQueries, type PendingApproval } from '../api/approval-queries';

/** "Awaiting my approval": the gates the signed-in user may decide now, oldest waiting first. */
export function ApprovalsPage() {
  const provider = useProviderParam();
  const inbox = useQuery(approvalQueries.inbox(provider));

  return (
    <>
      <PageHeader title="Awaiting my approval" description="Plans and applies you may approve or reject now, oldest first." />
      {inbox.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading your approvals" />
        </Center>
      ) : inbox.isError ? (
        <ErrorAlert error={inbox.error} title="Could not load your approvals" onRetry={() => void inbox.refetch()} />
      ) : inbox.data.items.length === 0 ? (
        <EmptyState title="Nothing awaits your approval" description="Gates you may decide show up here as soon as their plan is ready." />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" aria-label="Awaiting my approval">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Run</Table.Th>
                <Table.Th>Gate</Table.Th>
                <Table.Th>Plan</Table.Th>
                <Table.Th>Waiting since</Table.Th>
                <Table.Th>Progress</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {inbox.data.items.map((item) => (
                <InboxRow key={item.runId} provider={provider} item={item} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}

function InboxRow({ provider, item }: { provider: string; item: PendingApproval }) {
  const operation = item.operation === 'destroy' ? 'Destroy' : 'Execute';
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/${provider}/runs/${item.runId}`}>
          {`${operation} ${item.deploymentName}`}
        </Anchor>
        {item.pipelineRunId && (
          <Text size="xs" c="dimmed">
            <Anchor component={Link} to={`/${provider}/pipeline-runs/${item.pipelineRunId}`} size="xs">
              {`${item.pipelineName ?? 'Pipeline'} #${item.pipelineRunNumber ?? ''}`}
            </Anchor>
            {item.stepPosition != null ? ` · step ${item.stepPosition}` : ''}
          </Text>
        )}
        <Text size="xs" c="dimmed">{`triggered by ${item.triggeredBy}`}</Text>
      </Table.Td>
      <Table.Td>{item.gate === 'plan' ? 'Plan' : 'Apply'}</Table.Td>
      <Table.Td>
        {item.plan ? <PlanSummary plan={item.plan} maxResources={3} /> : null}
        <Text size="xs" c="dimmed" ff="monospace">{`plan ${shortHash(item.planSha256)}`}</Text>
      </Table.Td>
      <Table.Td>{formatDateTime(item.waitingSince)}</Table.Td>
      <Table.Td>{item.progress.text}</Table.Td>
    </Table.Tr>
  );
}
