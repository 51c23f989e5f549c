import { Button, Stack, TextInput } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { Guarded } from '../../../components/guarded';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useProviderParam } from '../../../lib/use-provider';
import { useDebouncedSearchParam } from '../../../lib/use-search-param';
import { useCan } from '../../access/api/permissions';
import { deploymentQueries } from '../api/deployment-queries';
import { DeploymentsTable } from '../components/deployments-table';

export function DeploymentsPage() {
  const provider = useProviderParam();
  const search = useDebouncedSearchParam('q');
  const deployments = useInfiniteQuery({
    ...deploymentQueries.list({ provider, q: search.query }),
    placeholderData: keepPreviousData,
  });
  const items = deployments.data?.pages.flatMap((page) => page.items) ?? [];
  const newHref = `/${provider}/deployments/new`;
  const creating = useCan()('deployments.edit');

  return (
    <>
      <PageHeader
        title="Deployments"
        description="Deployments combine a template, a cloud environment and variable values inside a project."
        actions={
          <Guarded permission={creating}>
            <Button component={Link} to={newHref}>
              New deployment
            </Button>
          </Guarded>
        }
      />

      <Stack>
        <TextInput
          aria-label="Search deployments"
          placeholder="Search deployments"
          type="search"
          value={search.value}
          onChange={(event) => search.setValue(event.currentTarget.value)}
          maw={360}
        />

        {deployments.isPending ? (
          <TableSkeleton label="Loading deployments" />
        ) : deployments.isError && items.length === 0 ? (
          <ErrorAlert
            error={deployments.error}
            title="Could not load deployments"
            onRetry={() => void deployments.refetch()}
          />
        ) : items.length === 0 ? (
          search.query ? (
            <EmptyState title="No matching deployments" description={`No deployment matches “${search.query}”.`} />
          ) : (
            <EmptyState
              title="No deployments yet"
              description="Create a deployment from a template to run it in one of your cloud environments."
              action={
                <Guarded permission={creating}>
                  <Button component={Link} to={newHref}>
                    Create your first deployment
                  </Button>
                </Guarded>
              }
            />
          )
        ) : (
          <>
            <DeploymentsTable provider={provider} deployments={items} />
            {deployments.isFetchNextPageError && (
              <ErrorAlert error={deployments.error} title="Could not load more deployments" />
            )}
            <LoadMore
              hasMore={deployments.hasNextPage}
              loading={deployments.isFetchingNextPage}
              onLoadMore={() => void deployments.fetchNextPage()}
            />
          </>
        )}
      </Stack>
    </>
  );
}
