import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { statusQueryOptions } from '../../../lib/query-client';
import { unwrapVersioned } from './etag';

export type Pipeline = components['schemas']['Pipeline'];
export type PipelineStep = Pipeline['steps'][number];
/** A variable of a step wired to an earlier step's output. */
export type StepInput = components['schemas']['StepInput'];
/** A step input as frozen into a run: the source step is named by its position in that run. */
export type FrozenInput = components['schemas']['FrozenInput'];
export type RunOperation = components['schemas']['RunOperation'];
export type PipelineSummary = components['schemas']['PipelineSummary'];
export type PipelineRun = components['schemas']['PipelineRun'];
export type PipelineRunStatus = PipelineRun['status'];
export type PipelineRunStep = PipelineRun['steps'][number];
/** What the Add Deployment dialog shows of a deployment. */
export type DeploymentOption = Pick<
  components['schemas']['Deployment'],
  'id' | 'name' | 'projectName' | 'templateName' | 'status'
>;
type CloudProviderId = Pipeline['provider'];

/** A pipeline with the ETag it came with: every edit sends it back in `If-Match`. */
export interface VersionedPipeline {
  pipeline: Pipeline;
  etag: string;
}

export interface PipelineListFilters {
  provider: CloudProviderId;
  q: string;
}

export const PIPELINES_PAGE_SIZE = 25;
/** The most pipelines a picker loads at once: the API's largest page. */
export const PIPELINE_OPTIONS_LIMIT = 200;
export const PIPELINE_RUNS_PAGE_SIZE = 20;
export const DEPLOYMENT_OPTIONS_PAGE_SIZE = 20;

const finalRunStatuses: ReadonlySet<PipelineRunStatus> = new Set(['completed', 'failed', 'cancelled', 'rejected', 'expired']);

/** The run has ended: nothing about it changes any more. */
export function isFinalRunStatus(status: PipelineRunStatus): boolean {
  return finalRunStatuses.has(status);
}

/** The step a resume of `run` starts at: the first that did not complete (or skip) there. */
export function resumeStart(run: PipelineRun): PipelineRunStep | undefined {
  return run.steps.find((step) => step.status !== 'completed' && step.status !== 'skipped');
}

export const pipelineKeys = {
  all: ['pipelines'] as const,
  lists: () => [...pipelineKeys.all, 'list'] as const,
  list: (filters: PipelineListFilters) => [...pipelineKeys.lists(), filters] as const,
  /** Every pipeline of every provider, for pickers (e.g. a pipeline trigger token's pipeline). */
  options: () => [...pipelineKeys.lists(), 'options'] as const,
  detail: (id: string) => [...pipelineKeys.all, 'detail', id] as const,
  runs: (pipelineId: string) => [...pipelineKeys.all, 'runs', pipelineId] as const,
  /** The deployments the Add Deployment dialog offers. */
  deploymentOptions: (provider: CloudProviderId, q: string) => [...pipelineKeys.all, 'deployment-options', provider, q] as const,
};

export const pipelineRunKeys = {
  all: ['pipeline-runs'] as const,
  detail: (id: string) => [...pipelineRunKeys.all, 'detail', id] as const,
};

export const pipelineQueries = {
  /** Cursor-paginated pipelines of one provider, filtered by `q`; "Load more" appends the next page. */
  list: (filters: PipelineListFilters) =>
    infiniteQueryOptions({
      queryKey: pipelineKeys.list(filters),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/pipelines', {
            params: {
              query: {
                provider: filters.provider,
                q: filters.q || undefined,
                limit: PIPELINES_PAGE_SIZE,
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

  /** Pipelines of all providers (one large page), for pickers such as the new-token dialog's pipeline select. */
  options: () =>
    queryOptions({
      queryKey: pipelineKeys.options(),
      queryFn: async ({ signal }) =>
        (await unwrap(api.GET('/api/v1/pipelines', { params: { query: { limit: PIPELINE_OPTIONS_LIMIT } }, signal })))
          .items,
    }),

  /** One pipeline with its ordered steps and its ETag. */
  detail: (id: string) =>
    queryOptions({
      queryKey: pipelineKeys.detail(id),
      queryFn: ({ signal }) => unwrapVersioned(api.GET('/api/v1/pipelines/{id}', { params: { path: { id } }, signal })),
      ...statusQueryOptions,
      // While a run is going its events refresh the steps; polling is the fallback.
      refetchInterval: (query) => (query.state.data?.pipeline.activeRunId ? 5_000 : false),
    }),

  /** The pipeline's runs, newest first; refreshed every few seconds while one of them is still going. */
  runs: (pipelineId: string) =>
    infiniteQueryOptions({
      queryKey: pipelineKeys.runs(pipelineId),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/pipelines/{id}/runs', {
            params: {
              path: { id: pipelineId },
              query: { limit: PIPELINE_RUNS_PAGE_SIZE, cursor: pageParam ?? undefined },
            },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
      ...statusQueryOptions,
      refetchInterval: (query) =>
        query.state.data?.pages.some((page) => page.items.some((run) => !isFinalRunStatus(run.status))) ? 5_000 : false,
    }),

  /** Deployments of the provider matching `q`, for the Add Deployment dialog. */
  deploymentOptions: (provider: CloudProviderId, q: string) =>
    infiniteQueryOptions({
      queryKey: pipelineKeys.deploymentOptions(provider, q),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/deployments', {
            params: {
              query: { provider, q: q || undefined, limit: DEPLOYMENT_OPTIONS_PAGE_SIZE, cursor: pageParam ?? undefined },
            },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
      staleTime: 0,
    }),
};

export const pipelineRunQueries = {
  /** One pipeline run; polled every 3 s while it is not final (the event stream makes it quicker). */
  detail: (id: string) =>
    queryOptions({
      queryKey: pipelineRunKeys.detail(id),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/pipeline-runs/{id}', { params: { path: { id } }, signal })),
      ...statusQueryOptions,
      refetchInterval: (query) => (query.state.data && isFinalRunStatus(query.state.data.status) ? false : 3_000),
    }),
};
