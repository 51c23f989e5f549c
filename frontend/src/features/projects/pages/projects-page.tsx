import { Button, Stack, TextInput } from '@mantine/core';
import { useInfiniteQuery, keepPreviousData } from '@tanstack/react-query';
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
import { projectQueries, type Project } from '../api/project-queries';
import { DeleteProjectDialog } from '../components/delete-project-dialog';
import { ProjectFormModal } from '../components/project-form-modal';
import { ProjectsTable } from '../components/projects-table';

export function ProjectsPage() {
  const provider = useProviderParam();
  const search = useDebouncedSearchParam('q');
  const projects = useInfiniteQuery({
    ...projectQueries.list({ provider, q: search.query }),
    placeholderData: keepPreviousData,
  });
  // The dialogs keep their project while they animate closed; `opened` alone says whether they show.
  const [form, setForm] = useState<{ opened: boolean; project: Project | null }>({ opened: false, project: null });
  const [deletion, setDeletion] = useState<{ opened: boolean; project: Project | null }>({
    opened: false,
    project: null,
  });

  const editing = useCan()('projects.edit');
  const items = projects.data?.pages.flatMap((page) => page.items) ?? [];
  const openCreate = () => setForm({ opened: true, project: null });

  return (
    <>
      <PageHeader
        title="Projects"
        description="Projects organise your deployments."
        actions={
          <Guarded permission={editing}>
            <Button onClick={openCreate}>Create project</Button>
          </Guarded>
        }
      />

      <Stack>
        <TextInput
          aria-label="Search projects"
          placeholder="Search projects"
          type="search"
          value={search.value}
          onChange={(event) => search.setValue(event.currentTarget.value)}
          maw={360}
        />

        {projects.isPending ? (
          <TableSkeleton label="Loading projects" />
        ) : projects.isError && items.length === 0 ? (
          <ErrorAlert error={projects.error} title="Could not load projects" onRetry={() => void projects.refetch()} />
        ) : items.length === 0 ? (
          search.query ? (
            <EmptyState title="No matching projects" description={`No project matches “${search.query}”.`} />
          ) : (
            <EmptyState
              title="No projects yet"
              description="Create a project to organise your deployments."
              action={
                <Guarded permission={editing}>
                  <Button onClick={openCreate}>Create your first project</Button>
                </Guarded>
              }
            />
          )
        ) : (
          <>
            <ProjectsTable
              projects={items}
              editing={editing}
              onEdit={(project) => setForm({ opened: true, project })}
              onDelete={(project) => setDeletion({ opened: true, project })}
            />
            {projects.isFetchNextPageError && <ErrorAlert error={projects.error} title="Could not load more projects" />}
            <LoadMore
              hasMore={projects.hasNextPage}
              loading={projects.isFetchingNextPage}
              onLoadMore={() => void projects.fetchNextPage()}
            />
          </>
        )}
      </Stack>

      <ProjectFormModal
        opened={form.opened}
        onClose={() => setForm((current) => ({ ...current, opened: false }))}
        provider={provider}
        project={form.project}
      />
      <DeleteProjectDialog
        opened={deletion.opened}
        project={deletion.project}
        onClose={() => setDeletion((current) => ({ ...current, opened: false }))}
      />
    </>
  );
}
