import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/** Cancels the run and its current step, with an optional reason kept on the step and in the audit log (409 when it is too late). */
export function useCancelPipelineRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ runId, reason }: { runId: string; reason?: string }) =>
      unwrap(api.POST('/api/v1/pipeline-runs/{id}/cancel', { params: { path: { id: runId } }, body: { reason: reason?.trim() || null } })),
    onSuccess: (run) => {
      queryClient.setQueryData(pipelineRunKeys.detail(run.id), run);
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(run.pipelineId) });
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(run.pipelineId) });
    },
  });
}
