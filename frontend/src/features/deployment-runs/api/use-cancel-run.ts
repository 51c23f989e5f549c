import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { runChanged } from './run-cache';

/** Cancels a run before it changes the cloud; a 409 says why not (e.g. it is applying). */
export function useCancelRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ runId, reason }: { runId: string; reason?: string }) =>
      unwrap(
        api.POST('/api/v1/deployment-runs/{id}/cancel', {
          params: { path: { id: runId } },
          body: { reason: reason?.trim() || undefined },
        }),
      ),
    onSuccess: (run) => runChanged(queryClient, run),
  });
}
