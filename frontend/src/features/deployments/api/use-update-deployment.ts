import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { deploymentKeys } from './deployment-queries';

/** In `variables`, a value sets a variable, `null` clears it, and a variable not mentioned keeps its value. */
export type UpdateDeploymentBody = components['schemas']['UpdateDeploymentBody'];

export function useUpdateDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateDeploymentBody }) =>
      unwrap(api.PATCH('/api/v1/deployments/{id}', { params: { path: { id } }, body })),
    onSuccess: (deployment) => {
      queryClient.setQueryData(deploymentKeys.detail(deployment.id), deployment);
      return queryClient.invalidateQueries({ queryKey: deploymentKeys.lists() });
    },
  });
}
