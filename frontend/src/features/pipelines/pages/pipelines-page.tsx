import { Button, Stack, TextInput } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { Guarded } from '../../../components/guarded';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useProviderParam } from '../../../lib/use-provider';
import { useDebouncedSearchParam } from '../../../lib/use-search-param';
import { useCan } from '../../access/api/permissions';
import { pipelineQueries } from '../api/pipeline-queries';
import { PipelineFormModal } from '../components/pipeline-form-modal';
import { PipelinesTable } from '../components/pipelines-table';

export function PipelinesPage() {
  const provider = useProviderParam();
  const search = useDebouncedSearchParam('q');
  const pipelines = useInfiniteQuery({
    ...pipelineQueries.list({ provider, q: search.query }),
    placeholderData: keepPreviousData,
  });
  const [creating, setCreating] = useState(false);
  const items = pipelines.data?.pages.flatMap((page) => page.items) ?? [];
  const openCreate = () => setCreating(true);
  const editing = useCan()('pipelines.edit');

  return (
    <>
      <PageHeader
        title="Pipelines"
        description="Pipelines run your deployments one after the other, each with its own plan and apply approvals."
        actions={
          <Guarded permission={editing}>
            <Button onClick={openCreate}>New Pipeline</Button>
          </Guarded>
        }
      />

      <Stack>
        <TextInput
          aria-label="Search pipelines"
          placeholder="Search pipelines"
          type="search"
          value={search.value}
          onChange={(event) => search.setValue(event.currentTarget.value)}
          maw={360}
        />

        {pipelines.isPending ? (
          <TableSkeleton label="Loading pipelines" />
        ) : pipelines.isError && items.length === 0 ? (
          <ErrorAlert error={pipelines.error} title="Could not load pipelines" onRetry={() => void pipelines.refetch()} />
        ) : items.length === 0 ? (
          search.query ? (
            <EmptyState title="No matching pipelines" description={`No pipeline matches “${search.query}”.`} />
          ) : (
            <EmptyState
              title="No pipelines yet"
              description="A pipeline chains existing deployments and runs them in order with a single trigger."
              action={
                <Guarded permission={editing}>
                  <Button onClick={openCreate}>Create your first pipeline</Button>
                </Guarded>
              }
            />
          )
        ) : (
          <>
            <PipelinesTable pipelines={items} />
            {pipelines.isFetchNextPageError && (
              <ErrorAlert error={pipelines.error} title="Could not load more pipelines" />
            )}
            <LoadMore
              hasMore={pipelines.hasNextPage}
              loading={pipelines.isFetchingNextPage}
              onLoadMore={() => void pipelines.fetchNextPage()}
            />
          </>
        )}
      </Stack>

      <PipelineFormModal opened={creating} onClose={() => setCreating(false)} provider={provider} />
    </>
  );
}
