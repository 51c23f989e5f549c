import { Alert, Anchor, Badge, Button, Card, Center, Code, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { Guarded } from '../../../components/guarded';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { DeploymentStatusBadges } from '../../../components/deployment-status';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useProviderParam } from '../../../lib/use-provider';
import { useCan } from '../../access/api/permissions';
import { deploymentQueries, type Deployment, type DeploymentStatus, type RunOperation } from '../api/deployment-queries';
import { useActiveRunEvents } from '../api/use-active-run-events';
import { useTriggerRun } from '../api/use-trigger-run';
import { DeleteDeploymentDialog } from '../components/delete-deployment-dialog';
import { DeploymentNotFound } from '../components/deployment-not-found';
import { DeploymentVariablesTable } from '../components/deployment-variables-table';
import { DestroyDeploymentDialog } from '../components/destroy-deployment-dialog';
import { RunHistoryTable } from '../components/run-history-table';
import { DeploymentPolicyModal } from '../components/deployment-policy-modal';
import { Timestamp } from '../../../components/timestamp';
import { cloudEnvironmentHref, projectHref, templateHref } from '../../../lib/area-links';

/** How often the page refreshes while a run of the deployment is under way. */
const ACTIVE_REFRESH_MS = 5_000;
const isBusy = (status: DeploymentStatus | undefined) => status === 'running' || status === 'awaitingApproval';

export function DeploymentDetailPage() {
  const provider = useProviderParam();
  const { id = '' } = useParams();
  const deployment = useQuery({
    ...deploymentQueries.detail(id),
    // While a run is under way the status follows it.
    refetchInterval: (query) => (isBusy(query.state.data?.status) ? ACTIVE_REFRESH_MS : false),
  });

  if (deployment.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the deployment" />
      </Center>
    );
  }
  if (deployment.isError) {
    if (isApiError(deployment.error) && deployment.error.status === 404) {
      return <DeploymentNotFound provider={provider} />;
    }
    return (
      <ErrorAlert error={deployment.error} title="Could not load the deployment" onRetry={() => void deployment.refetch()} />
    );
  }
  return <DeploymentDetail provider={provider} deployment={deployment.data} />;
}

function DeploymentDetail({ provider, deployment }: { provider: string; deployment: Deployment }) {
  const navigate = useNavigate();
  const trigger = useTriggerRun();
  const [dialog, setDialog] = useState<'destroy' | 'delete' | 'policy' | null>(null);
  const editHref = `/${provider}/deployments/${deployment.id}/edit`;
  const can = useCan();
  const editing = can('deployments.edit');
  const running = can('deployments.run');
  const tightening = can('deployments.approvalPolicy');

  const start = (operation: RunOperation) =>
    trigger.mutate(
      { deploymentId: deployment.id, operation },
      { onSuccess: (run) => void navigate(`/${provider}/runs/${run.id}`) },
    );

  return (
    <>
      <PageHeader
        title={deployment.name}
        description={deployment.description || undefined}
        actions={
          <>
            <Guarded permission={editing}>
              <Button component={Link} to={editHref} variant="default">
                Edit
              </Button>
            </Guarded>
            <Guarded permission={running}>
              <Button
                onClick={() => {
                  trigger.reset();
                  start('execute');
                }}
                loading={trigger.isPending && trigger.variables?.operation === 'execute'}
                disabled={trigger.isPending}
              >
                Execute
              </Button>
            </Guarded>
            <Guarded permission={running}>
              <Button
                color="red"
                variant="light"
                onClick={() => {
                  trigger.reset();
                  setDialog('destroy');
                }}
                disabled={trigger.isPending}
              >
                Destroy
              </Button>
            </Guarded>
            <Guarded permission={tightening}>
              <Button variant="default" onClick={() => setDialog('policy')}>
                Approval policy
              </Button>
            </Guarded>
            <Guarded permission={editing}>
              <Button color="red" variant="subtle" onClick={() => setDialog('delete')}>
                Delete
              </Button>
            </Guarded>
          </>
        }
      />

      <Stack gap="lg">
        <Anchor component={Link} to={`/${provider}/deployments`} size="sm">
          ← All deployments
        </Anchor>

        {trigger.isError && dialog !== 'destroy' && (
          <ErrorAlert error={trigger.error} title="The run could not be started" />
        )}

        {deployment.status === 'needsConfiguration' && (
          <Alert color="orange" variant="light" title="Needs configuration" role="alert">
            <Text size="sm">
              {deployment.missingVariables.length === 1 ? 'This required variable has' : 'These required variables have'} no
              value:{' '}
              {deployment.missingVariables.map((name, index) => (
                <span key={name}>
                  {index > 0 && ', '}
                  <Code>{name}</Code>
                </span>
              ))}
              . It cannot run until{' '}
              {editing.allowed ? (
                <Anchor component={Link} to={editHref} size="sm">
                  you edit it
                </Anchor>
              ) : (
                'someone edits it'
              )}{' '}
              to set {deployment.missingVariables.length === 1 ? 'it' : 'them'}.
            </Text>
          </Alert>
        )}

        <Card withBorder padding="lg" component="section" aria-label="Overview">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md">
            <Field label="Status">
              <DeploymentStatusBadges status={deployment.status} changesNotApplied={deployment.changesNotApplied} />
            </Field>
            <Field label="Project">
              <Anchor component={Link} to={projectHref(provider, deployment.projectId)} size="sm">
                {deployment.projectName}
              </Anchor>
            </Field>
            <Field label="Template">
              <Anchor component={Link} to={templateHref(provider, deployment.templateId)} size="sm">
                {deployment.templateName}
              </Anchor>
            </Field>
            <Field label="Cloud environment">
              <Anchor
                component={Link}
                to={cloudEnvironmentHref(provider, deployment.cloudEnvironmentName)}
                size="sm"
              >
                {deployment.cloudEnvironmentName}
              </Anchor>
            </Field>
            <Field label="Pipelines">
              {deployment.pipelines && deployment.pipelines.length > 0 ? (
                <Group gap="xs" wrap="wrap">
                  {deployment.pipelines.map((pipeline) => (
                    <Anchor key={pipeline.id} component={Link} to={`/${provider}/pipelines/${pipeline.id}`} size="sm">
                      {pipeline.name}
                    </Anchor>
                  ))}
                </Group>
              ) : (
                <Text size="sm" c="dimmed">
                  In no pipeline
                </Text>
              )}
            </Field>
            <Field label="Approvals">
              {deployment.requireDistinctApprover ? 'Distinct approver required (four eyes)' : 'Any approver'}
            </Field>
            <Field label="Created">
              <Text size="sm">
                <Timestamp iso={deployment.createdAt} />
              </Text>
            </Field>
            <Field label="Updated">
              <Text size="sm">
                <Timestamp iso={deployment.updatedAt} />
              </Text>
            </Field>
            <Field label="Tags">
              {deployment.tags.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None
                </Text>
              ) : (
                <Group gap={4}>
                  {deployment.tags.map((tag) => (
                    <Badge key={tag} variant="outline" tt="none">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              )}
            </Field>
          </SimpleGrid>
        </Card>

        <Card withBorder padding="lg" component="section" aria-labelledby="deployment-variables-title">
          <Title order={2} size="h4" mb="md" id="deployment-variables-title">
            Variables
          </Title>
          <DeploymentVariablesTable deployment={deployment} />
        </Card>

        <Card withBorder padding="lg" component="section" aria-labelledby="deployment-runs-title">
          <Title order={2} size="h4" mb="md" id="deployment-runs-title">
            Run history
          </Title>
          <RunHistory provider={provider} deploymentId={deployment.id} busy={isBusy(deployment.status)} />
        </Card>
      </Stack>

      <DestroyDeploymentDialog
        opened={dialog === 'destroy'}
        deploymentName={deployment.name}
        loading={trigger.isPending}
        error={dialog === 'destroy' ? trigger.error : null}
        onClose={() => {
          trigger.reset();
          setDialog(null);
        }}
        onConfirm={() => start('destroy')}
      />
      <DeploymentPolicyModal deployment={deployment} opened={dialog === 'policy'} onClose={() => setDialog(null)} />
      <DeleteDeploymentDialog
        opened={dialog === 'delete'}
        deployment={deployment}
        onClose={() => setDialog(null)}
        onDeleted={() => {
          notifications.show({ color: 'green', title: 'Deployment deleted', message: deployment.name });
          void navigate(`/${provider}/deployments`);
        }}
      />
    </>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
    </Stack>
  );
}

function RunHistory({ provider, deploymentId, busy }: { provider: string; deploymentId: string; busy: boolean }) {
  const runs = useInfiniteQuery({
    ...deploymentQueries.runs(deploymentId),
    // Polling is the fallback; the active run's events refresh the history as they happen.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((run) => !run.finishedAt)) ? ACTIVE_REFRESH_MS : false,
  });
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  // A run without a finish time is still going (the newest such run is the one holding the deployment).
  useActiveRunEvents(deploymentId, busy ? items.find((run) => !run.finishedAt)?.id : undefined);
  if (runs.isPending) return <TableSkeleton rows={3} label="Loading the run history" />;
  if (runs.isError && items.length === 0) {
    return <ErrorAlert error={runs.error} title="Could not load the run history" onRetry={() => void runs.refetch()} />;
  }
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No runs yet. Execute the deployment to plan and apply it.
      </Text>
    );
  }
  return (
    <>
      <RunHistoryTable provider={provider} runs={items} />
      {runs.isFetchNextPageError && <ErrorAlert error={runs.error} title="Could not load more runs" />}
      <LoadMore hasMore={runs.hasNextPage} loading={runs.isFetchingNextPage} onLoadMore={() => void runs.fetchNextPage()} />
    </>
  );
}
