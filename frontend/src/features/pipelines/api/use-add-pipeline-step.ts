import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { unwrapVersioned } from './etag';
import { ifMatch, refreshIfStale } from './if-match';
import { pipelineKeys } from './pipeline-queries';

/** Appends a deployment at the end of the pipeline, as the user last saw it (`If-Match`). */
export function useAddPipelineStep(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deploymentId: string) =>
      unwrapVersioned(
        api.POST('/api/v1/pipelines/{id}/steps', {
          params: { path: { id: pipelineId } },
          headers: ifMatch(queryClient, pipelineId),
          body: { deploymentId },
        }),
      ),
    onSuccess: (versioned) => {
      queryClient.setQueryData(pipelineKeys.detail(pipelineId), versioned);
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    },
    onError: (error) => refreshIfStale(queryClient, pipelineId, error),
  });
}
