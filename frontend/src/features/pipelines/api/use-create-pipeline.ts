import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { components } from '../../../api/schema';
import { unwrapVersioned } from './etag';
import { pipelineKeys } from './pipeline-queries';

export type CreatePipelineBody = components['schemas']['CreatePipeline'];

export function useCreatePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePipelineBody) => unwrapVersioned(api.POST('/api/v1/pipelines', { body })),
    onSuccess: (versioned) => {
      queryClient.setQueryData(pipelineKeys.detail(versioned.pipeline.id), versioned);
      return queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    },
  });
}
