import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/**
 * Resumes a failed or cancelled run as a new run from its first unfinished step, with the same frozen steps and
 * inputs. A fresh `Idempotency-Key` per call: a retried request cannot start a second run.
 */
export function useResumePipelineRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) =>
      unwrap(
        api.POST('/api/v1/pipeline-runs/{id}/resume', {
          params: { path: { id: runId } },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        }),
      ),
    onSuccess: (run) => {
      queryClient.setQueryData(pipelineRunKeys.detail(run.id), run);
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(run.pipelineId) });
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(run.pipelineId) });
    },
  });
}
