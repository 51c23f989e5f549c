import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { statusQueryOptions } from '../../../lib/query-client';

export type DeploymentRun = components['schemas']['DeploymentRun'];
export type RunStatus = components['schemas']['RunStatus'];
export type RunOperation = components['schemas']['RunOperation'];
export type PlanSummary = components['schemas']['PlanSummary'];

/** Statuses a run never leaves. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'destroyed', 'noChanges', 'failed', 'cancelled', 'rejected', 'expired'];

export function isFinalRunStatus(status: RunStatus | undefined): boolean {
  return status !== undefined && FINAL_RUN_STATUSES.includes(status);
}

/** How often a run that is not final is polled, in case the live event stream is not getting through. */
export const RUN_POLL_INTERVAL_MS = 3_000;

export const runKeys = {
  all: ['deployment-runs'] as const,
  detail: (id: string) => [...runKeys.all, 'detail', id] as const,
  plan: (id: string) => [...runKeys.all, 'plan', id] as const,
};

export const runQueries = {
  /** One run with what the caller may do now; polled every few seconds until it is final. */
  detail: (id: string) =>
    queryOptions({
      queryKey: runKeys.detail(id),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/deployment-runs/{id}', { params: { path: { id } }, signal })),
      ...statusQueryOptions,
      refetchInterval: (query) => (isFinalRunStatus(query.state.data?.status) ? false : RUN_POLL_INTERVAL_MS),
    }),

  /** The readable plan (text), fetched on demand. */
  plan: (id: string) =>
    queryOptions({
      queryKey: runKeys.plan(id),
      queryFn: ({ signal }) =>
        unwrap(api.GET('/api/v1/deployment-runs/{id}/plan', { params: { path: { id } }, parseAs: 'text', signal })),
      staleTime: Infinity,
    }),
};
