import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/** Cancels the run and its current step (409 with the reason when it is too late). */
export function useCancelPipelineRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => unwrap(api.POST('/api/v1/pipeline-runs/{id}/cancel', { params: { path: { id: runId } } })),
    onSuccess: (run) => {
      queryClient.setQueryData(pipelineRunKeys.detail(run.id), run);
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(run.pipelineId) });
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(run.pipelineId) });
    },
  });
}
