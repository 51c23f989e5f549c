import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { cloudEnvironmentKeys } from './cloud-environment-queries';

export function useDeleteCloudEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/cloud-environments/{id}', { params: { path: { id } } })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: cloudEnvironmentKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: cloudEnvironmentKeys.lists() });
    },
  });
}
