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
import { cloudEnvironmentQueries, type CloudEnvironment } from '../api/cloud-environment-queries';
import { CloudEnvironmentFormModal } from '../components/cloud-environment-form-modal';
import { CloudEnvironmentsTable } from '../components/cloud-environments-table';
import { ApprovalPolicyModal } from '../components/approval-policy-modal';
import { DeleteCloudEnvironmentDialog } from '../components/delete-cloud-environment-dialog';

export function CloudEnvironmentsPage() {
  const provider = useProviderParam();
  const search = useDebouncedSearchParam('q');
  const environments = useInfiniteQuery({
    ...cloudEnvironmentQueries.list({ provider, q: search.query }),
    placeholderData: keepPreviousData,
  });
  // The dialogs keep their environment while they animate closed; `opened` alone says whether they show.
  const [form, setForm] = useState<{ opened: boolean; environment: CloudEnvironment | null }>({
    opened: false,
    environment: null,
  });
  const [policyOf, setPolicyOf] = useState<CloudEnvironment | null>(null);
  const [deletion, setDeletion] = useState<{ opened: boolean; environment: CloudEnvironment | null }>({
    opened: false,
    environment: null,
  });

  const editing = useCan()('cloudEnvironments.edit');
  const items = environments.data?.pages.flatMap((page) => page.items) ?? [];
  const openCreate = () => setForm({ opened: true, environment: null });

  return (
    <>
      <PageHeader
        title="Cloud environments"
        description="Accounts, regions and credentials that deployments run against."
        actions={
          <Guarded permission={editing}>
            <Button onClick={openCreate}>Create cloud environment</Button>
          </Guarded>
        }
      />

      <Stack>
        <TextInput
          aria-label="Search cloud environments"
          placeholder="Search cloud environments"
          type="search"
          value={search.value}
          onChange={(event) => search.setValue(event.currentTarget.value)}
          maw={360}
        />

        {environments.isPending ? (
          <TableSkeleton label="Loading cloud environments" />
        ) : environments.isError && items.length === 0 ? (
          <ErrorAlert
            error={environments.error}
            title="Could not load cloud environments"
            onRetry={() => void environments.refetch()}
          />
        ) : items.length === 0 ? (
          search.query ? (
            <EmptyState
              title="No matching cloud environments"
              description={`No cloud environment matches “${search.query}”.`}
            />
          ) : (
            <EmptyState
              title="No cloud environments yet"
              description="Create a cloud environment to tell deployments where, and with which credentials, to run."
              action={
                <Guarded permission={editing}>
                  <Button onClick={openCreate}>Create your first cloud environment</Button>
                </Guarded>
              }
            />
          )
        ) : (
          <>
            <CloudEnvironmentsTable
              provider={provider}
              environments={items}
              editing={editing}
              onEdit={(environment) => setForm({ opened: true, environment })}
              onDelete={(environment) => setDeletion({ opened: true, environment })}
              onPolicy={setPolicyOf}
            />
            {environments.isFetchNextPageError && (
              <ErrorAlert error={environments.error} title="Could not load more cloud environments" />
            )}
            <LoadMore
              hasMore={environments.hasNextPage}
              loading={environments.isFetchingNextPage}
              onLoadMore={() => void environments.fetchNextPage()}
            />
          </>
        )}
      </Stack>

      <CloudEnvironmentFormModal
        opened={form.opened}
        onClose={() => setForm((current) => ({ ...current, opened: false }))}
        provider={provider}
        environment={form.environment}
      />
      <ApprovalPolicyModal environment={policyOf} onClose={() => setPolicyOf(null)} />
      <DeleteCloudEnvironmentDialog
        opened={deletion.opened}
        environment={deletion.environment}
        onClose={() => setDeletion((current) => ({ ...current, opened: false }))}
      />
    </>
  );
}
