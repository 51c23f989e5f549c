import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, isApiError } from '../../../api/client';
import { unwrapVersioned } from './etag';
import { pipelineKeys, type PipelineStep, type VersionedPipeline } from './pipeline-queries';

export const STALE_ORDER_MESSAGE = 'The pipeline was changed by someone else; the latest order is shown.';

/** `steps` with the one at `from` moved to `to` (indexes), positions renumbered from 1. */
export function reorderSteps(steps: PipelineStep[], from: number, to: number): PipelineStep[] {
  const next = [...steps];
  const [moved] = next.splice(from, 1);
  if (moved) next.splice(to, 0, moved);
  return next.map((step, index) => ({ ...step, position: index + 1 }));
}

interface MoveContext {
  previous: VersionedPipeline | undefined;
}

/**
 * The one way to reorder a pipeline, for the arrows and drag-and-drop alike: `moveStep(from, to)` shows the
 * new order at once, sends the full order with `If-Match`, and puts the old order back if the server refuses
 * (on 412 it also fetches the order someone else saved). One move at a time: while one is being saved
 * (`isSaving`), further moves are ignored.
 */
export function useMoveStep(pipelineId: string) {
  const queryClient = useQueryClient();
  const key = pipelineKeys.detail(pipelineId);

  const reorder = useMutation<VersionedPipeline, Error, { stepIds: string[]; etag: string; steps: PipelineStep[] }, MoveContext>({
    mutationKey: [...key, 'reorder'],
    mutationFn: ({ stepIds, etag }) =>
      unwrapVersioned(
        api.PUT('/api/v1/pipelines/{id}/steps/order', {
          params: { path: { id: pipelineId } },
          headers: { 'If-Match': etag },
          body: { stepIds },
        }),
      ),
    onMutate: async ({ steps }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<VersionedPipeline>(key);
      if (previous) {
        queryClient.setQueryData<VersionedPipeline>(key, { ...previous, pipeline: { ...previous.pipeline, steps } });
      }
      return { previous };
    },
    onSuccess: (versioned) => {
      queryClient.setQueryData(key, versioned);
    },
    onError: (error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
      const stale = isApiError(error) && error.status === 412;
      notifications.show({
        color: 'red',
        title: stale ? 'Order not saved' : 'Could not save the new order',
        message: stale ? STALE_ORDER_MESSAGE : `${error.message} The previous order is shown.`,
      });
      // Whatever failed, show what the server has now.
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });

  const { mutate, isPending } = reorder;
  const moveStep = useCallback(
    (from: number, to: number) => {
      if (isPending) return;
      const current = queryClient.getQueryData<VersionedPipeline>(pipelineKeys.detail(pipelineId));
      if (!current) return;
      const { steps } = current.pipeline;
      if (from === to || from < 0 || to < 0 || from >= steps.length || to >= steps.length) return;
      const reordered = reorderSteps(steps, from, to);
      mutate({ stepIds: reordered.map((step) => step.id), etag: current.etag, steps: reordered });
    },
    [isPending, mutate, pipelineId, queryClient],
  );

  return { moveStep, isSaving: isPending };
}
