import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { runChanged } from './run-cache';

/** The first approval: the plan may be applied once someone approves the apply too. */
export function useApprovePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) =>
      unwrap(api.POST('/api/v1/deployment-runs/{id}/approve-plan', { params: { path: { id: runId } } })),
    onSuccess: (run) => runChanged(queryClient, run),
  });
}
