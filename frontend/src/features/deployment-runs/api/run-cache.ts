import type { QueryClient } from '@tanstack/react-query';
import { approvalKeys } from '../../approvals/api/approval-queries';
import { deploymentKeys } from '../../deployments/api/deployment-queries';
import { runKeys, type DeploymentRun } from './run-queries';

/** After a run changed: store it, and refresh its deployment's history and status, and the approvals inbox. */
export function runChanged(queryClient: QueryClient, run: DeploymentRun) {
  queryClient.setQueryData(runKeys.detail(run.id), run);
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: deploymentKeys.runs(run.deploymentId) }),
    queryClient.invalidateQueries({ queryKey: deploymentKeys.detail(run.deploymentId) }),
    queryClient.invalidateQueries({ queryKey: deploymentKeys.lists() }),
    queryClient.invalidateQueries({ queryKey: approvalKeys.all }),
  ]);
}
