import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { deploymentKeys } from './deployment-queries';

export type CreateDeploymentBody = components['schemas']['CreateDeployment'];

export function useCreateDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDeploymentBody) => unwrap(api.POST('/api/v1/deployments', { body })),
    onSuccess: (deployment) => {
      queryClient.setQueryData(deploymentKeys.detail(deployment.id), deployment);
      return queryClient.invalidateQueries({ queryKey: deploymentKeys.lists() });
    },
  });
}
