import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { unwrapVersioned } from './etag';
import { ifMatch, refreshIfStale } from './if-match';
import { pipelineKeys, type StepInput } from './pipeline-queries';

/** Replaces which variables of a step take earlier steps' outputs (`If-Match`: refused on a stale pipeline). */
export function useSetStepInputs(pipelineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ stepId, inputs }: { stepId: string; inputs: StepInput[] }) =>
      unwrapVersioned(
        api.PUT('/api/v1/pipelines/{id}/steps/{stepId}/inputs', {
          params: { path: { id: pipelineId, stepId } },
          headers: ifMatch(queryClient, pipelineId),
          body: { inputs },
        }),
      ),
    onSuccess: (versioned) => {
      queryClient.setQueryData(pipelineKeys.detail(pipelineId), versioned);
    },
    onError: (error) => refreshIfStale(queryClient, pipelineId, error),
  });
}
