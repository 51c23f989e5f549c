import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { deploymentKeys } from './deployment-queries';

export function useDeleteDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/deployments/{id}', { params: { path: { id } } })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: deploymentKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: deploymentKeys.lists() });
    },
  });
}
