import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';
import { statusQueryOptions } from '../../../lib/query-client';

export type DeploymentRun = components['schemas']['DeploymentRun'];
export type RunStatus = components['schemas']['RunStatus'];
export type RunOperation = components['schemas']['RunOperation'];
export type PlanSummary = components['schemas']['PlanSummary'];
export type RunStatusChange = components['schemas']['RunStatusChange'];

export type StructuredPlan = components['schemas']['StructuredPlan'];
export type PlanResourceChange = components['schemas']['PlanResourceChange'];
export type PlanAttributeChange = components['schemas']['PlanAttributeChange'];
export type PlanOutputChange = components['schemas']['PlanOutputChange'];
export type PlanAction = PlanResourceChange['action'];

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
  structuredPlan: (id: string) => [...runKeys.all, 'plan.json', id] as const,
};

/** The structured plan, or null where there is none to show (404: no plan yet). */
async function fetchStructuredPlan(id: string, signal: AbortSignal): Promise<StructuredPlan | null> {
  const result = await api.GET('/api/v1/deployment-runs/{id}/plan.json', { params: { path: { id } }, signal });
  if (result.response.status === 404) return null;
  return unwrap(Promise.resolve(result));
}

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

  /** The plan as resource changes, for the diff; null falls back to the plan text. A plan never changes once made. */
  structuredPlan: (id: string) =>
    queryOptions({
      queryKey: runKeys.structuredPlan(id),
      queryFn: ({ signal }) => fetchStructuredPlan(id, signal),
      staleTime: Infinity,
      retry: false,
    }),
};
