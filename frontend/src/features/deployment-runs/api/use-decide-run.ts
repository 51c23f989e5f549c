import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { runChanged } from './run-cache';

/** One person's decision on a gate: an optional comment, and the plan they reviewed (the server refuses another). */
export interface Decision {
  runId: string;
  comment?: string;
  planSha256?: string | null;
}

const body = ({ comment, planSha256 }: Decision) => ({ comment: comment?.trim() || null, planSha256: planSha256 ?? null });

/** An approval of the plan; the gate passes once the run's policy has all its approvals. */
export function useApprovePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: Decision) =>
      unwrap(api.POST('/api/v1/deployment-runs/{id}/approve-plan', { params: { path: { id: decision.runId } }, body: body(decision) })),
    onSuccess: (run) => runChanged(queryClient, run),
  });
}

/** An approval of the apply: once the policy has them all, exactly the approved plan is applied. */
export function useApproveApply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: Decision) =>
      unwrap(api.POST('/api/v1/deployment-runs/{id}/approve-apply', { params: { path: { id: decision.runId } }, body: body(decision) })),
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
