import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type CloudEnvironment = components['schemas']['CloudEnvironment'];
type CloudProviderId = CloudEnvironment['provider'];

export interface CloudEnvironmentListFilters {
  provider: CloudProviderId;
  q: string;
}

export const CLOUD_ENVIRONMENTS_PAGE_SIZE = 25;
/** The most cloud environments a picker loads at once: the API's largest page. */
export const CLOUD_ENVIRONMENT_OPTIONS_LIMIT = 200;

export const cloudEnvironmentKeys = {
  all: ['cloud-environments'] as const,
  lists: () => [...cloudEnvironmentKeys.all, 'list'] as const,
  list: (filters: CloudEnvironmentListFilters) => [...cloudEnvironmentKeys.lists(), filters] as const,
  options: (provider: CloudProviderId) => [...cloudEnvironmentKeys.lists(), 'options', provider] as const,
  detail: (id: string) => [...cloudEnvironmentKeys.all, 'detail', id] as const,
};

export const cloudEnvironmentQueries = {
  /** Cursor-paginated cloud environments of one provider, filtered by `q`. */
  list: (filters: CloudEnvironmentListFilters) =>
    infiniteQueryOptions({
      queryKey: cloudEnvironmentKeys.list(filters),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/cloud-environments', {
            params: {
              query: {
                provider: filters.provider,
                q: filters.q || undefined,
                limit: CLOUD_ENVIRONMENTS_PAGE_SIZE,
                cursor: pageParam ?? undefined,
              },
            },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    }),

  /** Every cloud environment of a provider (one large page), for pickers such as the deployment wizard's select. */
  options: (provider: CloudProviderId) =>
    queryOptions({
      queryKey: cloudEnvironmentKeys.options(provider),
      queryFn: async ({ signal }) =>
        (
          await unwrap(
            api.GET('/api/v1/cloud-environments', {
              params: { query: { provider, limit: CLOUD_ENVIRONMENT_OPTIONS_LIMIT } },
              signal,
            }),
          )
        ).items,
    }),
};
