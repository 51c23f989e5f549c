import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { runChanged } from './run-cache';

export type Gate = 'plan' | 'apply';

/** One person's decision on a gate: an optional comment, and the plan they reviewed (the server refuses another). */
export interface Decision {
  runId: string;
  comment?: string;
  planSha256?: string | null;
}

const body = ({ comment, planSha256 }: Decision) => ({ comment: comment?.trim() || null, planSha256: planSha256 ?? null });

/**
 * An approval of a gate, wherever it is given (the run page, a pipeline run's step): always with the plan's hash the
 * approver saw and their comment. The plan gate passes once the policy has all its approvals; the apply gate then
 * applies exactly the approved plan.
 */
export function useApprove() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: Decision & { gate: Gate }) =>
      unwrap(
        decision.gate === 'plan'
          ? api.POST('/api/v1/deployment-runs/{id}/approve-plan', { params: { path: { id: decision.runId } }, body: body(decision) })
          : api.POST('/api/v1/deployment-runs/{id}/approve-apply', { params: { path: { id: decision.runId } }, body: body(decision) }),
      ),
    onSuccess: (run) => runChanged(queryClient, run),
  });
}

/** Rejects the gate the run waits at (a comment is required): the run ends rejected. */
export function useRejectRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: Decision & { comment: string }) =>
      unwrap(api.POST('/api/v1/deployment-runs/{id}/reject', { params: { path: { id: decision.runId } }, body: body(decision) })),
    onSuccess: (run) => runChanged(queryClient, run),
  });
}
