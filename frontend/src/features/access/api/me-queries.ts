import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

/** The signed-in user: `role` is theirs (null only for a pipeline trigger token), `method` how they signed in. */
export type Me = components['schemas']['Me'];
export type Role = components['schemas']['Role'];

export const accessKeys = {
  me: ['me'] as const,
};

export const meQueries = {
  /** Who is signed in. A 401 means nobody: the query client's handler sends the user to the sign-in page. */
  me: () =>
    queryOptions({
      queryKey: accessKeys.me,
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/me', { signal })),
      // Signing in or out replaces it; a role changed meanwhile shows within minutes (the API checks every call anyway).
      staleTime: 5 * 60_000,
    }),
};
