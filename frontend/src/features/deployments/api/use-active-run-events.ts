import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { deploymentKeys } from './deployment-queries';

/**
 * While a run of the deployment is under way, follows its Server-Sent Events (`status` and `end`) and refreshes the
 * deployment, its history and the lists on each, so the page shows the status the API holds within the stream's
 * latency rather than at the next poll. Log events are ignored here (the run page shows the log).
 */
export function useActiveRunEvents(deploymentId: string, runId: string | undefined) {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!runId || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/deployment-runs/${encodeURIComponent(runId)}/events`);
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.detail(deploymentId) });
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.runs(deploymentId) });
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.lists() });
    };
    const end = () => {
      source.close();
      refresh();
    };
    source.addEventListener('status', refresh);
    source.addEventListener('end', end);
    return () => source.close();
  }, [deploymentId, runId, queryClient]);
}
