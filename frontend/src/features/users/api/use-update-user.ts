import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { userKeys, type User } from './user-queries';

export type UpdateUserBody = components['schemas']['UpdateUserBody'];
type UserPage = components['schemas']['UserPage'];

/** Changes a user's role, name or password, or disables / enables them; the list shows the answer at once. */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserBody }) =>
      unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: (user: User) => {
      queryClient.setQueryData<InfiniteData<UserPage>>(userKeys.list(), (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((item) => (item.id === user.id ? user : item)),
              })),
            }
          : data,
      );
    },
  });
}
