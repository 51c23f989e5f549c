import { Stack } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { ForbiddenState } from '../../../components/forbidden-state';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useCan } from '../../access/api/permissions';
import { auditQueries, type AuditFilters as QueryFilters } from '../api/audit-queries';
import { AuditFilters, type AuditFilterValues } from '../components/audit-filters';
import { AuditTable } from '../components/audit-table';

const filterNames = ['actor', 'action', 'resourceType', 'from', 'to'] as const;

/** `/audit` (admin): who did what and when, newest first. */
export function AuditPage() {
  const can = useCan();
  if (!can('audit.read').allowed) return <ForbiddenState role="admin" />;
  return <AuditLog />;
}

function AuditLog() {
  // The filters live in the URL: a filtered view can be shared or reloaded.
  const [searchParams, setSearchParams] = useSearchParams();
  const values = Object.fromEntries(filterNames.map((name) => [name, searchParams.get(name) ?? ''])) as unknown as AuditFilterValues;
  const events = useInfiniteQuery({ ...auditQueries.list(toQuery(values)), placeholderData: keepPreviousData });
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filterNames.some((name) => values[name]);

  const apply = (next: AuditFilterValues) =>
    setSearchParams(
      () => {
        const params = new URLSearchParams();
        for (const name of filterNames) if (next[name]) params.set(name, next[name]);
        return params;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, trigger, approval, cancel, sign-in and token change: who, what, when and from where."
      />
      <Stack>
        <AuditFilters key={searchParams.toString()} values={values} onApply={apply} />
        {events.isPending ? (
          <TableSkeleton label="Loading audit events" />
        ) : events.isError && items.length === 0 ? (
          <ErrorAlert error={events.error} title="Could not load the audit log" onRetry={() => void events.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState
            title={filtered ? 'No matching events' : 'No events yet'}
            description={filtered ? 'No event matches these filters (actor, action and resource type match exactly).' : undefined}
          />
        ) : (
          <>
            <AuditTable events={items} />
            {events.isFetchNextPageError && <ErrorAlert error={events.error} title="Could not load more events" />}
            <LoadMore
              hasMore={events.hasNextPage}
              loading={events.isFetchingNextPage}
              onLoadMore={() => void events.fetchNextPage()}
            />
          </>
        )}
      </Stack>
    </>
  );
}

/** Local days to instants: from the start of `from` to the end of `to` (the API's `to` is exclusive). */
function toQuery(values: AuditFilterValues): QueryFilters {
  return {
    actor: values.actor,
    action: values.action,
    resourceType: values.resourceType,
    from: dayStart(values.from, 0),
    to: dayStart(values.to, 1),
  };
}

function dayStart(day: string, plusDays: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return '';
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
