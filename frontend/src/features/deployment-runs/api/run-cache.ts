import type { QueryClient } from '@tanstack/react-query';
import { deploymentKeys } from '../../deployments/api/deployment-queries';
import { runKeys, type DeploymentRun } from './run-queries';

/** After a run changed: store it, and refresh its deployment's history and status. */
export function runChanged(queryClient: QueryClient, run: DeploymentRun) {
  queryClient.setQueryData(runKeys.detail(run.id), run);
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: deploymentKeys.runs(run.deploymentId) }),
    queryClient.invalidateQueries({ queryKey: deploymentKeys.detail(run.deploymentId) }),
    queryClient.invalidateQueries({ queryKey: deploymentKeys.lists() }),
  ]);
}
