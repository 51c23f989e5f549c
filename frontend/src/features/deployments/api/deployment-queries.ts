import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { statusQueryOptions } from '../../../lib/query-client';

export type Deployment = components['schemas']['Deployment'];
export type DeploymentStatus = components['schemas']['DeploymentStatus'];
/** A run as the deployment's history lists it (the deployment-runs feature shows one in full). */
export type DeploymentRun = components['schemas']['DeploymentRun'];
export type RunOperation = components['schemas']['RunOperation'];
type CloudProviderId = Deployment['provider'];

export interface DeploymentListFilters {
  provider: CloudProviderId;
  q: string;
}

export const DEPLOYMENTS_PAGE_SIZE = 25;
export const DEPLOYMENT_RUNS_PAGE_SIZE = 20;

export const deploymentKeys = {
  all: ['deployments'] as const,
  lists: () => [...deploymentKeys.all, 'list'] as const,
  list: (filters: DeploymentListFilters) => [...deploymentKeys.lists(), filters] as const,
  detail: (id: string) => [...deploymentKeys.all, 'detail', id] as const,
  runs: (id: string) => [...deploymentKeys.all, 'runs', id] as const,
  ofProject: (projectId: string) => [...deploymentKeys.lists(), 'project', projectId] as const,
};

export const deploymentQueries = {
  /** Cursor-paginated deployments of one provider, filtered by `q`; "Load more" appends the next page. */
  list: (filters: DeploymentListFilters) =>
    infiniteQueryOptions({
      queryKey: deploymentKeys.list(filters),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/deployments', {
            params: {
              query: {
                provider: filters.provider,
                q: filters.q || undefined,
                limit: DEPLOYMENTS_PAGE_SIZE,
                cursor: pageParam ?? undefined,
              },
            },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
      ...statusQueryOptions,
    }),

  /** The deployments of one project, by name; "Load more" appends the next page. */
  ofProject: (projectId: string) =>
    infiniteQueryOptions({
      queryKey: deploymentKeys.ofProject(projectId),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/deployments', {
            params: { query: { projectId, limit: DEPLOYMENTS_PAGE_SIZE, cursor: pageParam ?? undefined } },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
      ...statusQueryOptions,
    }),

  /** One deployment; sensitive variables are listed by name only. */
  detail: (id: string) =>
    queryOptions({
      queryKey: deploymentKeys.detail(id),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/deployments/{id}', { params: { path: { id } }, signal })),
      ...statusQueryOptions,
    }),

  /** A deployment's run history, newest first; "Load more" appends older runs. */
  runs: (deploymentId: string) =>
    infiniteQueryOptions({
      queryKey: deploymentKeys.runs(deploymentId),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/deployments/{id}/runs', {
            params: { path: { id: deploymentId }, query: { limit: DEPLOYMENT_RUNS_PAGE_SIZE, cursor: pageParam ?? undefined } },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
      ...statusQueryOptions,
    }),
};
