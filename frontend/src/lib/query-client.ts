import { QueryClient, type DefaultOptions } from '@tanstack/react-query';
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

export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: queryDefaults });
}
