import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { pipelineRunKeys } from './pipeline-queries';

export type Approval = 'plan' | 'apply';

/** Approves the plan or the apply of a pipeline step: these are the approvals of the step's deployment run. */
export function useApproveStep(pipelineRunId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ deploymentRunId, approval }: { deploymentRunId: string; approval: Approval }) =>
      unwrap(
        approval === 'plan'
          ? api.POST('/api/v1/deployment-runs/{id}/approve-plan', { params: { path: { id: deploymentRunId } } })
          : api.POST('/api/v1/deployment-runs/{id}/approve-apply', { params: { path: { id: deploymentRunId } } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: pipelineRunKeys.detail(pipelineRunId) }),
  });
}
