import { formatDateTime, humaniseStatus } from '../../../lib/format';
import type { DeploymentRun, RunStatus } from '../api/run-queries';

export type TimelineStepState = 'done' | 'current' | 'upcoming' | 'skipped' | 'failed' | 'cancelled';

export interface TimelineStep {
  key: string;
  title: string;
  /** Who and when, or what it waits for. */
  detail: string | null;
  state: TimelineStepState;
}

/** How far along the way a status is: queued → … → final (6). */
const rank: Record<RunStatus, number> = {
  queued: 0,
  pending: 0,
  initializing: 1,
  planning: 2,
  awaitingPlanApproval: 3,
  awaitingApplyApproval: 4,
  applying: 5,
  destroying: 5,
  completed: 6,
  destroyed: 6,
  noChanges: 6,
  failed: 6,
  cancelled: 6,
  rejected: 6,
  expired: 6,
};

const approval = (by: string | null | undefined, at: string | null | undefined) =>
  by ? `Approved by ${by} · ${formatDateTime(at)}` : null;

/**
 * The steps of a run as the timeline shows them: queued → initializing → planning → plan approval → apply approval
 * → applying/destroying → the final status, each with who/when. A failed or cancelled run shows the steps it got
 * through (by their timestamps) and ends in red/orange; a plan without changes skips the approvals.
 */
export function timelineSteps(run: DeploymentRun): TimelineStep[] {
  const status = run.status;
  const destroy = run.operation === 'destroy';
  const stopped = status === 'failed' || status === 'cancelled' || status === 'rejected' || status === 'expired';
  const noChanges = status === 'noChanges';
  const current = rank[status];

  const reachedByTimestamp = [true, Boolean(run.startedAt), Boolean(run.plannedAt), Boolean(run.planApprovedAt), Boolean(run.applyApprovedAt), Boolean(run.applyStartedAt)];

  const stateOf = (index: number): TimelineStepState => {
    if (stopped) return reachedByTimestamp[index] ? 'done' : 'upcoming';
    if (noChanges) return index >= 3 ? 'skipped' : 'done';
    if (index < current) return 'done';
    if (index === current) return 'current';
    return 'upcoming';
  };

  const steps: TimelineStep[] = [
    {
      key: 'queued',
      title: 'Queued',
      detail:
        status === 'pending'
          ? `Waiting for another run of this deployment to finish · triggered by ${run.triggeredBy}`
          : `${formatDateTime(run.queuedAt)} · triggered by ${run.triggeredBy}`,
      state: stateOf(0),
    },
    { key: 'initializing', title: 'Initializing', detail: run.startedAt ? formatDateTime(run.startedAt) : null, state: stateOf(1) },
    { key: 'planning', title: 'Planning', detail: run.plannedAt ? `Planned ${formatDateTime(run.plannedAt)}` : null, state: stateOf(2) },
    {
      key: 'plan-approval',
      title: 'Plan approval',
      detail:
        approval(run.planApprovedBy, run.planApprovedAt) ??
        (status === 'awaitingPlanApproval' ? 'Waiting for someone to approve the plan' : noChanges ? 'Not needed: no changes' : null),
      state: stateOf(3),
    },
    {
      key: 'apply-approval',
      title: 'Apply approval',
      detail:
        approval(run.applyApprovedBy, run.applyApprovedAt) ??
        (status === 'awaitingApplyApproval' ? 'Waiting for someone to approve the apply' : noChanges ? 'Not needed: no changes' : null),
      state: stateOf(4),
    },
    {
      key: 'apply',
      title: destroy ? 'Destroying' : 'Applying',
      detail: run.applyStartedAt ? `Started ${formatDateTime(run.applyStartedAt)}` : noChanges ? 'Skipped: no changes' : null,
      state: stateOf(5),
    },
  ];

  const finalTitle = current === 6 ? humaniseStatus(status) : destroy ? 'Destroyed' : 'Completed';
  const finalDetail =
    status === 'cancelled'
      ? [`Cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ''}`, run.cancelReason, formatDateTime(run.finishedAt)]
          .filter(Boolean)
          .join(' · ')
      : run.finishedAt
        ? formatDateTime(run.finishedAt)
        : null;
  steps.push({
    key: 'final',
    title: finalTitle,
    detail: finalDetail,
    state: status === 'failed' || status === 'rejected' ? 'failed' : status === 'cancelled' || status === 'expired' ? 'cancelled' : current === 6 ? 'done' : 'upcoming',
  });
  return steps;
}
