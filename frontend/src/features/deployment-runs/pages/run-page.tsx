import { Alert, Anchor, Box, Button, Card, Center, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApprovalsHistory } from '../../../components/approvals-history';
import { EmptyState } from '../../../components/empty-state';
import { CancelRunDialog } from '../../../components/cancel-run-dialog';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { DecisionComment, PlanHash } from '../../../components/decision-fields';
import { RejectRunDialog } from '../../../components/reject-run-dialog';
import { StatusBadge } from '../../../components/status-badge';
import { isApiError } from '../../../api/client';
import { focusNextAction } from '../../../lib/focus-next-action';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { useProviderParam } from '../../../lib/use-provider';
import { isFinalRunStatus, runQueries, type DeploymentRun } from '../api/run-queries';
import { useApprove, useRejectRun, type Gate } from '../api/use-decide-run';
import { useCancelRun } from '../api/use-cancel-run';
import { useRunEvents } from '../api/use-run-events';
import { PlanDetails } from '../components/plan-details';
import { RunLog } from '../components/run-log';
import { RunOutputs } from '../components/run-outputs';
import { RunPhases } from '../components/run-phases';
import { RunTimeline } from '../components/run-timeline';
import { policyInWords } from '../components/policy-in-words';

export function RunPage() {
  const provider = useProviderParam();
  const { runId = '' } = useParams();
  const run = useQuery(runQueries.detail(runId));

  if (run.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the run" />
      </Center>
    );
  }
  if (run.isError) {
    if (isApiError(run.error) && run.error.status === 404) {
      return (
        <EmptyState
          title="Run not found"
          description="There is no deployment run with this id."
          action={
            <Button component={Link} to={`/${provider}/deployments`}>
              Go to deployments
            </Button>
          }
        />
      );
    }
    return <ErrorAlert error={run.error} title="Could not load the run" onRetry={() => void run.refetch()} />;
  }
  // A new run id is a new log stream: start afresh.
  return <RunView key={run.data.id} provider={provider} run={run.data} />;
}

function RunView({ provider, run }: { provider: string; run: DeploymentRun }) {
  const final = isFinalRunStatus(run.status);
  const events = useRunEvents(run.id, final);
  const approve = useApprove();
  const cancelRun = useCancelRun();
  const rejectRun = useRejectRun();
  const [cancelOpened, setCancelOpened] = useState(false);
  const [rejectOpened, setRejectOpened] = useState(false);
  const [comment, setComment] = useState('');
  const actionError = approve.error;
  const busy = approve.isPending || cancelRun.isPending || rejectRun.isPending;
  // Rejecting a gate is open exactly where approving it is (the server decides both in one place).
  const mayDecide = run.actions.approvePlan || run.actions.approveApply;
  // Each decision is bound to the plan shown here: the server refuses it (409) if the run now holds another.
  const decision = { runId: run.id, comment, planSha256: run.planSha256 };
  const deploymentHref = `/${provider}/deployments/${run.deploymentId}`;
  const operation = run.operation === 'destroy' ? 'Destroy' : 'Execute';

  const approving = (gate: Gate) => approve.isPending && approve.variables?.gate === gate;
  const onApprove = (gate: Gate) =>
    approve.mutate(
      { ...decision, gate },
      {
        onSuccess: () => {
          setComment('');
          focusNextAction();
        },
      },
    );

  const closeCancel = () => {
    cancelRun.reset();
    setCancelOpened(false);
  };

  return (
    <>
      {/* The actions stay in reach while reading a long log (below the app's 60 px header). */}
      <Box
        pos={{ base: 'static', sm: 'sticky' }}
        top={60}
        pt="xs"
        style={{ zIndex: 3, background: 'var(--mantine-color-body)' }}
      >
        <PageHeader
          title={`${operation} ${run.deploymentName}`}
          description={
            <>
              <Anchor component={Link} to={deploymentHref} size="sm">
                ← Back to deployment {run.deploymentName}
              </Anchor>
              {run.pipelineRun && (
                <>
                  {' · part of '}
                  <Anchor component={Link} to={`/${provider}/pipeline-runs/${run.pipelineRun.id}`} size="sm">
                    {`Run #${run.pipelineRun.number} of ${run.pipelineRun.pipelineName}`}
                  </Anchor>
                </>
              )}
            </>
          }
          actions={
            <>
              {run.actions.approvePlan && (
                <Button data-next-action loading={approving('plan')} disabled={busy && !approving('plan')} onClick={() => onApprove('plan')}>
                  Approve Plan
                </Button>
              )}
              {run.actions.approveApply && (
                <Button data-next-action loading={approving('apply')} disabled={busy && !approving('apply')} onClick={() => onApprove('apply')}>
                  Approve Apply
                </Button>
              )}
              {/* Where a rule (four-eyes, the role it takes) stops this caller, the server says why: shown instead. */}
              {!run.actions.approvePlan && run.actions.blocked.approvePlan && (
                <Text size="sm" c="dimmed">
                  {run.actions.blocked.approvePlan}
                </Text>
              )}
              {!run.actions.approveApply && run.actions.blocked.approveApply && (
                <Text size="sm" c="dimmed">
                  {run.actions.blocked.approveApply}
                </Text>
              )}
              {mayDecide && (
                <Button variant="default" color="red" disabled={busy} onClick={() => setRejectOpened(true)}>
                  Reject
                </Button>
              )}
              {run.actions.cancel && (
                <Button variant="default" color="red" disabled={busy} onClick={() => setCancelOpened(true)}>
                  Cancel run
                </Button>
              )}
            </>
          }
        />
      </Box>

      <Stack gap="lg">
        <Group gap="sm">
          <span role="status" aria-label="Run status">
            <StatusBadge status={run.status} />
          </span>
          <Text size="sm" c="dimmed">
            {`${operation} · triggered by ${run.triggeredBy} · queued ${formatDateTime(run.queuedAt)}`}
            {run.finishedAt ? ` · finished ${formatDateTime(run.finishedAt)}` : ''}
            {run.finishedAt ? ` · took ${formatDuration(run.startedAt ?? run.queuedAt, run.finishedAt)}` : ''}
          </Text>
        </Group>

        {run.requireDistinctApprover && !final && (
          <Text size="sm" c="dimmed">
            This deployment requires a distinct approver: whoever triggered the run or approved its plan cannot approve
            its apply.
          </Text>
        )}
        {run.planSha256 && (
          <Card withBorder padding="md" component="section" aria-labelledby="run-decision-title">
            <Stack gap="xs">
              <Group gap="sm" justify="space-between">
                <Title order={2} size="h5" id="run-decision-title">
                  {run.status === 'awaitingPlanApproval' ? 'Plan approval' : 'Apply approval'}
                  {run.approvalProgress ? ` · ${run.approvalProgress.text}` : ''}
                </Title>
                <PlanHash sha256={run.planSha256} />
              </Group>
              {mayDecide && <DecisionComment value={comment} onChange={setComment} />}
            </Stack>
          </Card>
        )}
        {actionError != null && <ErrorAlert error={actionError} title="The run could not be approved" />}
        {run.error && (
          <Alert color="red" variant="light" title="The run failed" role="alert">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {run.error}
            </Text>
          </Alert>
        )}

        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Card withBorder padding="lg" component="section" aria-labelledby="run-progress-title">
              <Title order={2} size="h4" mb="md" id="run-progress-title">
                Progress
              </Title>
              <RunTimeline run={run} />
            </Card>
            <Card withBorder padding="lg" component="section" aria-labelledby="run-approvals-title" mt="lg">
              <Title order={2} size="h4" mb="xs" id="run-approvals-title">
                Approvals
              </Title>
              <Text size="xs" c="dimmed" mb="sm">
                {policyInWords(run.policy)}
              </Text>
              <ApprovalsHistory approvals={run.approvals} emptyText="No decisions yet." />
            </Card>
            {run.statusChanges && run.statusChanges.length > 0 && (
              <Card withBorder padding="lg" component="section" aria-labelledby="run-phases-title" mt="lg">
                <Title order={2} size="h4" mb="md" id="run-phases-title">
                  Durations
                </Title>
                <RunPhases run={run} />
              </Card>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <Card withBorder padding="lg" component="section" aria-labelledby="run-plan-title">
                <Title order={2} size="h4" mb="md" id="run-plan-title">
                  Plan
                </Title>
                {run.plan ? (
                  <PlanDetails runId={run.id} plan={run.plan} />
                ) : (
                  <Text size="sm" c="dimmed">
                    {final ? 'This run made no plan.' : 'The plan shows here once Terraform has planned.'}
                  </Text>
                )}
              </Card>
              {run.outputs && (
                <Card withBorder padding="lg" component="section" aria-labelledby="run-outputs-title">
                  <Title order={2} size="h4" mb="md" id="run-outputs-title">
                    Outputs
                  </Title>
                  <RunOutputs outputs={run.outputs} />
                </Card>
              )}
            </Stack>
          </Grid.Col>
        </Grid>

        <Card withBorder padding="lg" component="section" aria-labelledby="run-log-title">
          <Group justify="space-between" mb="md">
            <Title order={2} size="h4" id="run-log-title">
              Log
            </Title>
            <Text size="xs" c="dimmed">
              {events.mode === 'streaming'
                ? 'Live'
                : events.mode === 'polling'
                  ? final
                    ? ''
                    : `Refreshing every few seconds`
                  : events.mode === 'connecting'
                    ? 'Connecting…'
                    : ''}
            </Text>
          </Group>
          <RunLog
            lines={events.lines}
            fileName={`run-${run.id}.log`}
            emptyText={final ? 'No log lines.' : 'Waiting for the first log lines…'}
          />
        </Card>
      </Stack>

      <RejectRunDialog
        opened={rejectOpened}
        message={
          run.pipelineRunId
            ? `Reject this ${operation.toLowerCase()} of ${run.deploymentName}? The run ends rejected, its pipeline run stops and later steps are not run.`
            : `Reject this ${operation.toLowerCase()} of ${run.deploymentName}? The run ends rejected; nothing in the cloud changes.`
        }
        loading={rejectRun.isPending}
        error={rejectRun.error}
        onClose={() => {
          rejectRun.reset();
          setRejectOpened(false);
        }}
        onConfirm={(reason) =>
          rejectRun.mutate(
            { ...decision, comment: reason },
            {
              onSuccess: () => {
                setRejectOpened(false);
                focusNextAction();
              },
            },
          )
        }
      />

      <CancelRunDialog
        opened={cancelOpened}
        message={`Cancel this ${operation.toLowerCase()} of ${run.deploymentName}? Nothing in the cloud is changed by cancelling.`}
        loading={cancelRun.isPending}
        error={cancelRun.error}
        onClose={closeCancel}
        onConfirm={(reason) =>
          cancelRun.mutate(
            { runId: run.id, reason },
            {
              onSuccess: () => {
                closeCancel();
                focusNextAction();
              },
            },
          )
        }
      />
    </>
  );
}
