import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { pipelineKeys, pipelineRunKeys, type RunOperation } from './pipeline-queries';

/**
 * Starts a run of the pipeline: `destroy` destroys every step, last step first. Each call carries a fresh `Idempotency-Key`, so a retried request cannot start
 * a second run. 409 says why not (a run is already active, the pipeline is empty, a deployment needs configuration).
 */
export function useTriggerPipelineRun(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (operation?: RunOperation) =>
      unwrap(
        api.POST('/api/v1/pipelines/{id}/runs', {
          params: { path: { id: pipelineId } },
          body: operation ? { operation } : undefined,
          headers: { 'Idempotency-Key': crypto.randomUUID(), 'X-Amnify-Client': 'spa' },
        }),
      ),
    onSuccess: (run) => {
      queryClient.setQueryData(pipelineRunKeys.detail(run.id), run);
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(pipelineId) });
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(pipelineId) });
    },
  });
}
