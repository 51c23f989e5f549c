import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type Project = components['schemas']['Project'];
type CloudProviderId = Project['provider'];

export interface ProjectListFilters {
  provider: CloudProviderId;
  q: string;
}

export const PROJECTS_PAGE_SIZE = 25;
/** The most projects a picker loads at once: the API's largest page. */
export const PROJECT_OPTIONS_LIMIT = 200;

export const projectKeys = {
  all: ['projects'] as const,
  lists: () => [...projectKeys.all, 'list'] as const,
  list: (filters: ProjectListFilters) => [...projectKeys.lists(), filters] as const,
  options: (provider: CloudProviderId) => [...projectKeys.lists(), 'options', provider] as const,
  detail: (id: string) => [...projectKeys.all, 'detail', id] as const,
};

export const projectQueries = {
  /** Cursor-paginated projects of one provider, filtered by `q`; each page adds to the list ("Load more"). */
  list: (filters: ProjectListFilters) =>
    infiniteQueryOptions({
      queryKey: projectKeys.list(filters),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/projects', {
            params: {
              query: {
                provider: filters.provider,
                q: filters.q || undefined,
                limit: PROJECTS_PAGE_SIZE,
                cursor: pageParam ?? undefined,
              },
            },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    }),

  /** One project. */
  detail: (id: string) =>
    queryOptions({
      queryKey: projectKeys.detail(id),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/projects/{id}', { params: { path: { id } }, signal })),
    }),

  /** Every project of a provider (one large page), for pickers such as the deployment wizard's select. */
  options: (provider: CloudProviderId) =>
    queryOptions({
      queryKey: projectKeys.options(provider),
      queryFn: async ({ signal }) =>
        (
          await unwrap(
            api.GET('/api/v1/projects', { params: { query: { provider, limit: PROJECT_OPTIONS_LIMIT } }, signal }),
          )
        ).items,
    }),
};
