import { Anchor, Button, Card, Center, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { DeploymentStatusBadges } from '../../../components/deployment-status';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { Guarded } from '../../../components/guarded';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { Timestamp } from '../../../components/timestamp';
import { cloudEnvironmentHref, templateHref } from '../../../lib/area-links';
import { useProviderParam } from '../../../lib/use-provider';
import { useCan } from '../../access/api/permissions';
import { deploymentQueries } from '../../deployments/api/deployment-queries';
import { projectQueries } from '../api/project-queries';

/** One project: what it is, and its deployments with their status. */
export function ProjectDetailPage() {
  const provider = useProviderParam();
  const { projectId = '' } = useParams();
  const project = useQuery(projectQueries.detail(projectId));
  const deployments = useInfiniteQuery({ ...deploymentQueries.ofProject(projectId), enabled: project.isSuccess });
  const can = useCan();

  if (project.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the project" />
      </Center>
    );
  }
  if (project.isError) {
    if (isApiError(project.error) && project.error.status === 404) {
      return (
        <EmptyState
          title="Project not found"
          description="There is no project with this id."
          action={
            <Button component={Link} to={`/${provider}/projects`}>
              Go to projects
            </Button>
          }
        />
      );
    }
    return <ErrorAlert error={project.error} title="Could not load the project" onRetry={() => void project.refetch()} />;
  }
  const p = project.data;
  const items = deployments.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={p.name}
        documentTitle={`${p.name} · Projects`}
        description={
          <Anchor component={Link} to={`/${provider}/projects`} size="sm">
            ← All projects
          </Anchor>
        }
        actions={
          <Guarded permission={can('deployments.edit')}>
            <Button component={Link} to={`/${provider}/deployments/new`}>
              New deployment
            </Button>
          </Guarded>
        }
      />
      <Stack gap="lg">
        <Card withBorder padding="lg" component="section" aria-labelledby="project-overview-title">
          <Title order={2} size="h4" mb="sm" id="project-overview-title">
            Overview
          </Title>
          <Text size="sm">{p.description || 'No description.'}</Text>
          <Text size="sm" c="dimmed" mt={4}>
            {'Updated '}
            <Timestamp iso={p.updatedAt} />
            {p.tags && p.tags.length > 0 ? ` · tags: ${p.tags.join(', ')}` : ''}
          </Text>
        </Card>
        <Card withBorder padding="lg" component="section" aria-labelledby="project-deployments-title">
          <Title order={2} size="h4" mb="sm" id="project-deployments-title">
            Deployments
          </Title>
          {deployments.isPending ? (
            <Loader size="sm" aria-label="Loading the deployments" />
          ) : deployments.isError ? (
            <ErrorAlert error={deployments.error} title="Could not load the deployments" onRetry={() => void deployments.refetch()} />
          ) : items.length === 0 ? (
            <Text size="sm" c="dimmed">
              This project has no deployments yet.
            </Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing="xs" aria-label="Deployments of the project">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Template</Table.Th>
                      <Table.Th>Cloud environment</Table.Th>
                      <Table.Th>Status</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((d) => (
                      <Table.Tr key={d.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/${provider}/deployments/${d.id}`} fw={500}>
                            {d.name}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={templateHref(provider, d.templateId)} size="sm">
                            {d.templateName}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={cloudEnvironmentHref(provider, d.cloudEnvironmentName)} size="sm">
                            {d.cloudEnvironmentName}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <DeploymentStatusBadges status={d.status} changesNotApplied={d.changesNotApplied} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <LoadMore
                hasMore={deployments.hasNextPage}
                loading={deployments.isFetchingNextPage}
                onLoadMore={() => void deployments.fetchNextPage()}
              />
            </>
          )}
        </Card>
      </Stack>
    </>
  );
}
