import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { unwrapVersioned } from './etag';
import { ifMatch, refreshIfStale } from './if-match';
import { pipelineKeys } from './pipeline-queries';

/**
 * Takes a step out of the pipeline as the user last saw it (`If-Match`); the deployment itself is kept. A step that
 * feeds later steps is refused (409) unless `force`, which removes that wiring too.
 */
export function useRemovePipelineStep(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ stepId, force = false }: { stepId: string; force?: boolean }) =>
      unwrapVersioned(
        api.DELETE('/api/v1/pipelines/{id}/steps/{stepId}', {
          params: { path: { id: pipelineId, stepId }, query: force ? { force } : {} },
          headers: ifMatch(queryClient, pipelineId),
        }),
      ),
    onSuccess: (versioned) => {
      queryClient.setQueryData(pipelineKeys.detail(pipelineId), versioned);
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    },
    onError: (error) => refreshIfStale(queryClient, pipelineId, error),
  });
}
