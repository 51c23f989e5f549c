import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import type { SessionMeta } from '../../../lib/query-client';
import { accessKeys } from './me-queries';

export type LoginBody = components['schemas']['Login'];

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => unwrap(api.POST('/api/v1/auth/login', { body })),
    // A 401 here is "wrong email or password", shown on the form: not a lost session.
    meta: { expectsUnauthorized: true } satisfies SessionMeta,
    onSuccess: async (me) => {
      // Nothing cached under a previous session may show to this user.
      queryClient.removeQueries();
      queryClient.setQueryData(accessKeys.me, me);
      await queryClient.invalidateQueries({ queryKey: accessKeys.me, refetchType: 'none' });
    },
  });
}
