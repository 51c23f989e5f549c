import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { cloudEnvironmentKeys } from './cloud-environment-queries';

export type CreateCloudEnvironmentBody = components['schemas']['CreateCloudEnvironment'];

export function useCreateCloudEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCloudEnvironmentBody) => unwrap(api.POST('/api/v1/cloud-environments', { body })),
    onSuccess: (environment) => {
      queryClient.setQueryData(cloudEnvironmentKeys.detail(environment.id), environment);
      return queryClient.invalidateQueries({ queryKey: cloudEnvironmentKeys.lists() });
    },
  });
}
