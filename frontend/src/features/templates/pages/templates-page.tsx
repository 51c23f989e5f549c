import { Button, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, TextInput } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { Guarded } from '../../../components/guarded';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { humaniseStatus } from '../../../lib/format';
import { useProviderParam } from '../../../lib/use-provider';
import { useDebouncedSearchParam } from '../../../lib/use-search-param';
import { useCan } from '../../access/api/permissions';
import { TEMPLATE_CATEGORIES, isTemplateCategory, templateQueries } from '../api/template-queries';
import { useSyncTemplates } from '../api/use-sync-templates';
import { TemplateCard } from '../components/template-card';
import { TemplateSyncResultAlert } from '../components/template-sync-result';

const categoryFilter = [
  { value: '', label: 'All' },
  ...TEMPLATE_CATEGORIES.map((category) => ({ value: category, label: humaniseStatus(category) })),
];

export function TemplatesPage() {
  const provider = useProviderParam();
  const search = useDebouncedSearchParam('q');
  const [searchParams, setSearchParams] = useSearchParams();
  const categoryParam = searchParams.get('category');
  const category = isTemplateCategory(categoryParam) ? categoryParam : '';
  const templates = useInfiniteQuery({
    ...templateQueries.list({ provider, category, q: search.query }),
    placeholderData: keepPreviousData,
  });
  const sync = useSyncTemplates();
  const can = useCan();
  const syncing = can('templates.sync');
  const creatingDeployments = can('deployments.edit');

  const setCategory = (value: string) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set('category', value);
        else next.delete('category');
        return next;
      },
      { replace: true },
    );

  const items = templates.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(search.query || category);

  return (
    <>
      <PageHeader
        title="Templates"
        description="Templates are Terraform modules synced from a directory or git repository."
        actions={
          <Guarded permission={syncing}>
            <Button onClick={() => sync.mutate()} loading={sync.isPending}>
              Sync Templates
            </Button>
          </Guarded>
        }
      />

      <Stack>
        {sync.isError && <ErrorAlert error={sync.error} title="Could not sync the templates" />}
        {sync.isSuccess && <TemplateSyncResultAlert result={sync.data} onClose={() => sync.reset()} />}

        <Group gap="md" align="center" wrap="wrap">
          <TextInput
            aria-label="Search templates"
            placeholder="Search templates"
            type="search"
            value={search.value}
            onChange={(event) => search.setValue(event.currentTarget.value)}
            w={320}
          />
          <SegmentedControl
            aria-label="Category"
            data={categoryFilter}
            value={category}
            onChange={setCategory}
          />
        </Group>

        {templates.isPending ? (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-busy="true" role="status" aria-label="Loading templates">
            {Array.from({ length: 3 }, (_, index) => (
              <Skeleton key={index} height={160} radius="md" />
            ))}
          </SimpleGrid>
        ) : templates.isError && items.length === 0 ? (
          <ErrorAlert error={templates.error} title="Could not load templates" onRetry={() => void templates.refetch()} />
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState
              title="No matching templates"
              description="No template matches this search and category."
            />
          ) : (
            <EmptyState
              title="No templates yet"
              description="Sync the templates from the configured source to fill the catalogue."
              action={
                <Guarded permission={syncing}>
                  <Button onClick={() => sync.mutate()} loading={sync.isPending}>
                    Sync Templates now
                  </Button>
                </Guarded>
              }
            />
          )
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} aria-label="Templates" component="section">
              {items.map((template) => (
                <TemplateCard
                  key={template.id}
                  template={template}
                  creating={creatingDeployments}
                  createHref={`/${provider}/deployments/new?templateId=${encodeURIComponent(template.id)}`}
                />
              ))}
            </SimpleGrid>
            {templates.isFetchNextPageError && (
              <ErrorAlert error={templates.error} title="Could not load more templates" />
            )}
            <LoadMore
              hasMore={templates.hasNextPage}
              loading={templates.isFetchingNextPage}
              onLoadMore={() => void templates.fetchNextPage()}
            />
          </>
        )}
      </Stack>
    </>
  );
}
