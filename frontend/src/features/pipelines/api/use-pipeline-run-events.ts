import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { deploymentKeys } from '../../deployments/api/deployment-queries';
import { runKeys } from '../../deployment-runs/api/run-queries';
import { pipelineKeys, pipelineRunKeys } from './pipeline-queries';

/** The stream's typed events that mean "something the run view shows changed". */
const CHANGE_EVENTS = ['run', 'step', 'approvalRequired'] as const;

/** How long a burst of events (a first connection replays the run's whole history) is gathered into one refresh. */
const REFRESH_DELAY_MS = 50;

/**
 * Follows a pipeline run's Server-Sent Events while `live`. Every `run` (status or current step), `step` (a step or
 * its deployment run) and `approvalRequired` event refetches the run and marks everything that shows its statuses
 * stale: the pipeline (its steps' deployment statuses), its run history, the pipeline and deployment lists, the
 * deployments and their runs. Mounted queries refetch at once, the others when next shown, so no page shows a status
 * the API no longer holds; what each caller may do comes with the refetched run. `end` does it once more and closes
 * the stream; after a drop EventSource reconnects with `Last-Event-ID` and gets only what it missed. The run query
 * also polls as a fallback.
 */
export function usePipelineRunEvents(runId: string | null | undefined, pipelineId: string | undefined, live: boolean) {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!runId || !live || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/pipeline-runs/${encodeURIComponent(runId)}/events`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      void queryClient.invalidateQueries({ queryKey: pipelineRunKeys.detail(runId) });
      if (pipelineId) {
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(pipelineId) });
        void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(pipelineId) });
      }
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.all });
      void queryClient.invalidateQueries({ queryKey: runKeys.all });
    };
    const changed = () => {
      timer ??= setTimeout(refresh, REFRESH_DELAY_MS);
    };
    const end = () => {
      source.close();
      if (timer) clearTimeout(timer);
      refresh();
    };
    for (const type of CHANGE_EVENTS) source.addEventListener(type, changed);
    source.addEventListener('end', end);
    return () => {
      for (const type of CHANGE_EVENTS) source.removeEventListener(type, changed);
      source.removeEventListener('end', end);
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [live, runId, pipelineId, queryClient]);
}
