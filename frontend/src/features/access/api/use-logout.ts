import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';

/** Ends the session. The caller goes to the sign-in page, which drops what this session cached. */
export function useLogout() {
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout')),
  });
}
