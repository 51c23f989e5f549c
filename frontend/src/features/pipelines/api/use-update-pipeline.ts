import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../../api/client';
import type { components } from '../../../api/schema';
import { unwrapVersioned } from './etag';
import { pipelineKeys } from './pipeline-queries';

export type UpdatePipelineBody = components['schemas']['UpdatePipelineBody'];

/** Renames a pipeline or changes its description, only if nobody changed it since `etag` (else 412). */
export function useUpdatePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, etag, body }: { id: string; etag: string; body: UpdatePipelineBody }) =>
      unwrapVersioned(
        api.PATCH('/api/v1/pipelines/{id}', { params: { path: { id } }, headers: { 'If-Match': etag }, body }),
      ),
    onSuccess: (versioned) => {
      queryClient.setQueryData(pipelineKeys.detail(versioned.pipeline.id), versioned);
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    },
    onError: (error, { id }) => {
      if (isApiError(error) && error.status === 412) {
        return queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(id) });
      }
    },
  });
}
