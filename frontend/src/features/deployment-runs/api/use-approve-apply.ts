import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { runChanged } from './run-cache';

/** The second approval: applies exactly the approved plan. */
export function useApproveApply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) =>
      unwrap(api.POST('/api/v1/deployment-runs/{id}/approve-apply', { params: { path: { id: runId } } })),
    onSuccess: (run) => runChanged(queryClient, run),
  });
}
