import { MutationCache, QueryCache, QueryClient, type DefaultOptions } from '@tanstack/react-query';
import { isApiError } from '../api/client';

export const queryDefaults: DefaultOptions = {
  queries: {
    staleTime: 30_000,
    refetchOnWindowFocus: false,
    // A 4xx will answer the same the second time; only retry network failures and 5xx.
    retry: (failureCount, error) => !(isApiError(error) && error.status < 500) && failureCount < 2,
  },
  mutations: {
    retry: false,
  },
};

/**
 * For queries that show a run's, a step's or a deployment's status: whatever is cached is shown at once but asked
 * again every time a page shows it, so coming back from a run never shows the status it had before.
 */
export const statusQueryOptions = { staleTime: 0, refetchOnMount: 'always' } as const;

/**
 * Set `meta: { expectsUnauthorized: true }` on a query or mutation whose 401 is an answer to show
 * (e.g. wrong credentials on the sign-in form), not a lost session.
 */
export interface SessionMeta extends Record<string, unknown> {
  expectsUnauthorized?: boolean;
}

export interface CreateQueryClientOptions {
  defaultOptions?: DefaultOptions;
  /** Called whenever a query or mutation fails with 401: the session has ended (or never began). */
  onUnauthorized?: () => void;
}

function isLostSession(error: unknown, meta: Record<string, unknown> | undefined): boolean {
  return isApiError(error) && error.status === 401 && meta?.expectsUnauthorized !== true;
}

export function createQueryClient({ defaultOptions = queryDefaults, onUnauthorized }: CreateQueryClientOptions = {}): QueryClient {
  return new QueryClient({
    defaultOptions,
    // One place sees every failure: a 401 anywhere sends the user to the sign-in page.
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isLostSession(error, query.meta)) onUnauthorized?.();
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (isLostSession(error, mutation.meta)) onUnauthorized?.();
      },
    }),
  });
}
