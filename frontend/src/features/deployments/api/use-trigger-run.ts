import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { deploymentKeys, type RunOperation } from './deployment-queries';

/** Queues an execute or destroy of a deployment; answers the new run (202). A 409 says why it cannot run. */
export function useTriggerRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ deploymentId, operation }: { deploymentId: string; operation: RunOperation }) =>
      unwrap(
        api.POST('/api/v1/deployments/{id}/runs', { params: { path: { id: deploymentId } }, body: { operation } }),
      ),
    onSuccess: (run) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: deploymentKeys.runs(run.deploymentId) }),
        queryClient.invalidateQueries({ queryKey: deploymentKeys.detail(run.deploymentId) }),
        queryClient.invalidateQueries({ queryKey: deploymentKeys.lists() }),
      ]),
  });
}
