import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { cloudEnvironmentKeys } from './cloud-environment-queries';

/** `credentials`: a string sets that variable, `null` removes it, a variable not mentioned is kept. */
export type UpdateCloudEnvironmentBody = components['schemas']['UpdateCloudEnvironmentBody'];

export function useUpdateCloudEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateCloudEnvironmentBody }) =>
      unwrap(api.PATCH('/api/v1/cloud-environments/{id}', { params: { path: { id } }, body })),
    onSuccess: (environment) => {
      queryClient.setQueryData(cloudEnvironmentKeys.detail(environment.id), environment);
      return queryClient.invalidateQueries({ queryKey: cloudEnvironmentKeys.lists() });
    },
  });
}
