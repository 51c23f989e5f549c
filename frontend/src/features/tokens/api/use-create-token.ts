import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { tokenKeys } from './token-queries';

export type CreateTokenBody = components['schemas']['CreateApiTokenBody'];

/** Creates a token. Its value is in the answer only: the page shows it once, then forgets it. */
export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTokenBody) => unwrap(api.POST('/api/v1/tokens', { body })),
    // The mutation (and the token value in its result) leaves the cache as soon as the dialog lets go of it.
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.list() }),
  });
}
