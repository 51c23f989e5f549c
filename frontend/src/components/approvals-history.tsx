import { Alert, Badge, Group, List, Stack, Text } from '@mantine/core';
import type { components } from '../api/schema';
import { formatDateTime } from '../lib/format';
import { shortHash } from '../lib/short-hash';

type RunApproval = components['schemas']['RunApproval'];

interface ApprovalsHistoryProps {
  approvals: readonly RunApproval[];
  /** Shown when nobody decided yet; nothing when left out. */
  emptyText?: string;
  /** Where a run view has no room of its own for them (a pipeline step): the gate's progress, who cancelled and why, the error. */
  progress?: string | null;
  cancelledBy?: string | null;
  cancelReason?: string | null;
  error?: string | null;
}

/** Who decided each gate of a run, when, why, and on which plan — oldest first, as the server keeps them. */
export function ApprovalsHistory({ approvals, emptyText, progress, cancelledBy, cancelReason, error }: ApprovalsHistoryProps) {
  const extras = (
    <>
      {progress && <Text size="sm">{`Approvals: ${progress}`}</Text>}
      {cancelledBy && <Text size="sm">{`Cancelled by ${cancelledBy}${cancelReason ? `: “${cancelReason}”` : ''}`}</Text>}
      {error && (
        <Alert color="red" variant="light" title="Failed" role="alert" p="xs">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {error}
          </Text>
        </Alert>
      )}
    </>
  );
  if (approvals.length === 0) {
    return (
      <>
        {extras}
        {emptyText && (
          <Text size="sm" c="dimmed">
            {emptyText}
          </Text>
        )}
      </>
    );
  }
  return (
    <Stack gap="xs">
      {extras}
      <List spacing="xs" listStyleType="none" aria-label="Approvals" styles={{ root: { paddingInlineStart: 0 } }}>
      {approvals.map((approval) => (
        <List.Item key={`${approval.gate}-${approval.userName}-${approval.at}`}>
          <Stack gap={2}>
            <Group gap="xs" wrap="wrap">
              <Badge color={approval.decision === 'approved' ? 'green' : 'red'} variant="light" tt="none">
                {`${approval.gate === 'plan' ? 'Plan' : 'Apply'} ${approval.decision}`}
              </Badge>
              <Text size="sm">{`by ${approval.userName}`}</Text>
              <Text size="xs" c="dimmed">
                {`${formatDateTime(approval.at)} · plan ${shortHash(approval.planSha256)}`}
              </Text>
            </Group>
            {approval.comment && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {`“${approval.comment}”`}
              </Text>
            )}
          </Stack>
        </List.Item>
      ))}
      </List>
    </Stack>
  );
}
