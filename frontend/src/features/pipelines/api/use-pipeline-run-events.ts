import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/**
 * Follows a pipeline run's Server-Sent Events while `live`: each `update` refetches the run; `end` refetches it
 * once more with the pipeline and its history, and closes the stream. The run query also polls as a fallback.
 */
export function usePipelineRunEvents(runId: string, pipelineId: string | undefined, live: boolean) {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!live || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/pipeline-runs/${encodeURIComponent(runId)}/events`);
    const refresh = () => void queryClient.invalidateQueries({ queryKey: pipelineRunKeys.detail(runId) });
    const end = () => {
      source.close();
      refresh();
      if (pipelineId) {
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(pipelineId) });
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(pipelineId) });
      }
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    };
    source.addEventListener('update', refresh);
    source.addEventListener('end', end);
    return () => {
      source.removeEventListener('update', refresh);
      source.removeEventListener('end', end);
      source.close();
    };
  }, [live, runId, pipelineId, queryClient]);
}
