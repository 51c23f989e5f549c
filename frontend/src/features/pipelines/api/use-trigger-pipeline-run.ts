import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/**
 * Starts a run of the pipeline. Each call carries a fresh `Idempotency-Key`, so a retried request cannot start
 * a second run. 409 says why not (a run is already active, the pipeline is empty, a deployment needs configuration).
 */
export function useTriggerPipelineRun(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/pipelines/{id}/runs', {
          params: { path: { id: pipelineId } },
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
