import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type User = components['schemas']['User'];

export const USERS_PAGE_SIZE = 50;
/** The API's rule for passwords (longer is fine). */
export const MIN_PASSWORD_LENGTH = 12;

export const userKeys = {
  all: ['users'] as const,
  list: () => [...userKeys.all, 'list'] as const,
};

export const userQueries = {
  /** Every user (admin), by email; "Load more" appends the next page. */
  list: () =>
    infiniteQueryOptions({
      queryKey: userKeys.list(),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/users', {
            params: { query: { limit: USERS_PAGE_SIZE, cursor: pageParam ?? undefined } },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    }),
};
