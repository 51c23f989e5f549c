import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema';

export type AuditEvent = components['schemas']['AuditEvent'];

export interface AuditFilters {
  actor: string;
  action: string;
  resourceType: string;
  /** ISO-8601 instants, inclusive of `from`, exclusive of `to`; empty for no bound. */
  from: string;
  to: string;
}

export const AUDIT_PAGE_SIZE = 50;

export const auditKeys = {
  all: ['audit-events'] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, 'list', filters] as const,
  actions: () => [...auditKeys.all, 'actions'] as const,
};

export const auditQueries = {
  /** Every action the audit log records, as the server lists them (they change only with a new server version). */
  actions: () =>
    queryOptions({
      queryKey: auditKeys.actions(),
      queryFn: ({ signal }) => unwrap(api.GET('/api/v1/audit-events/actions', { signal })).then((list) => list.actions),
      staleTime: Infinity,
    }),
  /** The audit log (admin), newest first, filtered; "Load more" appends older events. */
  list: (filters: AuditFilters) =>
    infiniteQueryOptions({
      queryKey: auditKeys.list(filters),
      queryFn: ({ pageParam, signal }) =>
        unwrap(
          api.GET('/api/v1/audit-events', {
            params: {
              query: {
                actor: filters.actor || undefined,
                action: filters.action || undefined,
                resourceType: filters.resourceType || undefined,
                from: filters.from || undefined,
                to: filters.to || undefined,
                limit: AUDIT_PAGE_SIZE,
                cursor: pageParam ?? undefined,
              },
            },
            signal,
          }),
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    }),
};
