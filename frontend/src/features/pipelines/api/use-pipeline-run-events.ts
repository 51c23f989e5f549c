import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { deploymentKeys } from '../../deployments/api/deployment-queries';
import { runKeys } from '../../deployment-runs/api/run-queries';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/**
 * Follows a pipeline run's Server-Sent Events while `live`. Every `update` (the run or one of its steps changed)
 * refetches the run and marks everything that shows its statuses stale: the pipeline (its steps' deployment
 * statuses), its run history, the pipeline and deployment lists, the deployments and their runs. Mounted queries
 * refetch at once, the others when next shown, so no page shows a status the API no longer holds. `end` does it once
 * more and closes the stream. The run query also polls as a fallback.
 */
export function usePipelineRunEvents(runId: string | null | undefined, pipelineId: string | undefined, live: boolean) {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!runId || !live || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/pipeline-runs/${encodeURIComponent(runId)}/events`);
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: pipelineRunKeys.detail(runId) });
      if (pipelineId) {
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(pipelineId) });
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(pipelineId) });
      }
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.all });
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
    };
    const end = () => {
      source.close();
      refresh();
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
