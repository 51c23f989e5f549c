import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { pipelineKeys } from './pipeline-queries';

export function useDeletePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/pipelines/{id}', { params: { path: { id } } })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: pipelineKeys.detail(id) });
      queryClient.removeQueries({ queryKey: pipelineKeys.runs(id) });
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    },
  });
}
