import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { ifMatch, refreshIfStale } from './if-match';
import { pipelineKeys } from './pipeline-queries';

/** Deletes the pipeline only as the user last saw it (`If-Match`): a pipeline changed meanwhile is refused (412). */
export function useDeletePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/pipelines/{id}', { params: { path: { id } }, headers: ifMatch(queryClient, id) })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: pipelineKeys.detail(id) });
      queryClient.removeQueries({ queryKey: pipelineKeys.runs(id) });
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    },
    onError: (error, id) => refreshIfStale(queryClient, id, error),
  });
}
