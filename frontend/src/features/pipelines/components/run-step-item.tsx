import { Anchor, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../components/error-alert';
import { StatusBadge } from '../../../components/status-badge';
import { formatDateTime, humaniseStatus } from '../../../lib/format';
import type { PipelineRunStep } from '../api/pipeline-queries';
import { formatDuration } from '../../../lib/format';
import { PlanSummary } from '../../../components/plan-summary';
import { ApprovalsHistory } from '../../../components/approvals-history';
import { DecisionComment, PlanHash } from '../../../components/decision-fields';
import type { Decision, Gate } from '../../deployment-runs/api/use-decide-run';

interface RunStepItemProps {
  provider: string;
  step: PipelineRunStep;
  current: boolean;
  /** The approval being sent for this step, if any. */
  approving: Gate | null;
  approveError: unknown;
  /** Approves the gate the step's deployment run waits at, bound to the plan shown; resolves once it was accepted. */
  onApprove: (decision: Decision & { gate: Gate }, onSuccess: () => void) => void;
  /** Opens the reject dialog for the step's deployment run and the plan shown. */
  onReject: (decision: Decision) => void;
}

const skipNotes: Record<NonNullable<PipelineRunStep['skipReason']>, string> = {
  noChanges: 'Up to date: the plan showed no changes, so nothing was applied.',
  completedInEarlierRun: 'Completed in the run this one resumes: not run again.',
  nothingToDestroy: 'Nothing to destroy: the deployment was never deployed or is already destroyed.',
};

const notes: Partial<Record<PipelineRunStep['status'], string>> = {
  skipped: skipNotes.noChanges,
  notRun: 'Not executed: an earlier step did not complete.',
  pending: 'Waits for the previous steps.',
};

export function RunStepItem({
  provider,
  step,
  current,
  approving,
  approveError,
  onApprove,
  onReject,
}: RunStepItemProps) {
  const [comment, setComment] = useState('');
  const runStatus = step.deploymentRunStatus;
  const awaiting =
    runStatus === 'awaitingPlanApproval' ? 'plan' : runStatus === 'awaitingApplyApproval' ? 'apply' : null;
  const name = step.deploymentName;
  // Whether this caller may give the approval the step waits for, and if a rule stops them, why: the server decides.
  const mayApprove = awaiting === 'plan' ? step.actions.approvePlan : awaiting === 'apply' ? step.actions.approveApply : false;
  const blocked = awaiting === 'plan' ? step.actions.blocked.approvePlan : awaiting === 'apply' ? step.actions.blocked.approveApply : null;

  return (
    <Paper
      component="li"
      withBorder
      p="md"
      aria-current={current ? 'step' : undefined}
      aria-label={`Step ${step.position}: ${name}`}
      style={
        current
          ? { borderColor: 'var(--mantine-color-blue-filled)', borderWidth: 2, boxShadow: 'var(--mantine-shadow-sm)' }
          : undefined
      }
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="sm" wrap="wrap" miw={0}>
            <Text fw={700} c="dimmed" aria-hidden="true">
              {step.position}.
            </Text>
            <Anchor
              component={Link}
              to={`/${provider}/deployments/${step.deploymentId}`}
              fw={600}
              style={{ overflowWrap: 'anywhere' }}
            >
              {name}
            </Anchor>
            {current && (
              <Badge color="blue" variant="filled" tt="none">
                Current
              </Badge>
            )}
          </Group>
          <Group gap="xs">
            <StatusBadge status={step.status} />
            {runStatus && step.status === 'running' && (
              <StatusBadge status={runStatus} label={`Deployment run: ${humaniseStatus(runStatus).toLowerCase()}`} />
            )}
          </Group>
        </Group>

        <Text size="xs" c="dimmed">
          {step.startedAt ? `Started ${formatDateTime(step.startedAt)}` : 'Not started'}
          {step.finishedAt && ` · finished ${formatDateTime(step.finishedAt)}`}
          {step.startedAt && step.finishedAt && ` · took ${formatDuration(step.startedAt, step.finishedAt)}`}
        </Text>
        {(step.skipReason ? skipNotes[step.skipReason] : notes[step.status]) && (
          <Text size="sm" c="dimmed">
            {step.skipReason ? skipNotes[step.skipReason] : notes[step.status]}
          </Text>
        )}
        {step.inputs.length > 0 && (
          <Stack component="ul" gap={0} p={0} m={0} aria-label={`Inputs of ${name}`} style={{ listStyle: 'none' }}>
            {step.inputs.map((input) => (
              <Text component="li" key={input.variable} size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {input.variable} ← {input.fromDeploymentName}.{input.output} (step {input.fromPosition})
              </Text>
            ))}
          </Stack>
        )}

        {awaiting && step.deploymentRunId && (
          <Stack gap="xs">
            {step.plan && <PlanSummary plan={step.plan} maxResources={8} />}
            <Group gap="sm">
              <Text size="sm">
                {mayApprove
                  ? awaiting === 'plan'
                    ? 'Review the plan, then approve it to continue.'
                    : 'The plan is approved. Approve the apply to make these changes.'
                  : awaiting === 'plan'
                    ? 'Waits for an approver to approve the plan.'
                    : 'The plan is approved; waits for an approver to approve the apply.'}
              </Text>
              {!mayApprove && blocked && (
                <Text size="sm" c="dimmed">
                  {blocked}
                </Text>
              )}
            </Group>
            {mayApprove && (
              <>
                <DecisionComment value={comment} onChange={setComment} />
                <Group gap="sm" wrap="wrap">
                  {step.planSha256 && <PlanHash sha256={step.planSha256} />}
                  <Button
                    size="xs"
                    loading={approving === awaiting}
                    data-next-action
                    onClick={() =>
                      onApprove(
                        { runId: step.deploymentRunId!, gate: awaiting, comment, planSha256: step.planSha256 },
                        () => setComment(''),
                      )
                    }
                  >
                    {awaiting === 'plan' ? 'Approve Plan' : 'Approve Apply'}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    disabled={approving !== null}
                    onClick={() => onReject({ runId: step.deploymentRunId!, planSha256: step.planSha256 })}
                  >
                    Reject
                  </Button>
                </Group>
              </>
            )}
            {approveError != null && <ErrorAlert error={approveError} title="Could not approve" />}
          </Stack>
        )}

        <ApprovalsHistory
          approvals={step.approvals}
          progress={step.approvalProgress?.text}
          cancelledBy={step.cancelledBy}
          cancelReason={step.cancelReason}
          error={step.error}
        />

        {step.deploymentRunId && (
          <Anchor component={Link} to={`/${provider}/runs/${step.deploymentRunId}`} size="sm">
            View run: plan, log, outputs
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}
