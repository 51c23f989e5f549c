import { Anchor, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { CancelRunDialog } from '../../../components/cancel-run-dialog';
import { EmptyState } from '../../../components/empty-state';
import { Guarded } from '../../../components/guarded';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { StatusBadge } from '../../../components/status-badge';
import { TableSkeleton } from '../../../components/table-skeleton';
import { focusNextAction } from '../../../lib/focus-next-action';
import { formatDateTime, formatDuration } from '../../../lib/format';
import { useProviderParam } from '../../../lib/use-provider';
import { useCan } from '../../access/api/permissions';
import {
  isFinalRunStatus,
  pipelineKeys,
  pipelineRunKeys,
  pipelineRunQueries,
  resumeStart,
  type PipelineRun,
} from '../api/pipeline-queries';
import { useApprove, useRejectRun, type Decision, type Gate } from '../../deployment-runs/api/use-decide-run';
import { RejectRunDialog } from '../../../components/reject-run-dialog';
import { useCancelPipelineRun } from '../api/use-cancel-pipeline-run';
import { useResumePipelineRun } from '../api/use-resume-pipeline-run';
import { usePipelineRunEvents, type StepStatusChanges } from '../api/use-pipeline-run-events';
import { useTriggerPipelineRun } from '../api/use-trigger-pipeline-run';

import { PipelineRunTimeline } from '../components/pipeline-run-timeline';
import { ResumeRunDialog } from '../components/resume-run-dialog';
import { RunStepItem } from '../components/run-step-item';

const sourceLabels: Record<PipelineRun['triggerSource'], string> = { ui: 'the web app', api: 'the API', ci: 'CI' };

export function PipelineRunPage() {
  const provider = useProviderParam();
  const { runId = '' } = useParams();
  const run = useQuery(pipelineRunQueries.detail(runId));
  const live = run.data ? !isFinalRunStatus(run.data.status) : false;
  // Read for a finished run too: its replayed step events are the timeline.
  const stepChanges = usePipelineRunEvents(run.data ? runId : null, run.data?.pipelineId, live, { history: true });

  if (run.isPending) return <TableSkeleton rows={4} label="Loading pipeline run" />;
  if (run.isError) {
    if (isApiError(run.error) && run.error.status === 404) {
      return (
        <EmptyState
          title="Pipeline run not found"
          description="There is no pipeline run at this address."
          action={
            <Button component={Link} to={`/${provider}/pipelines`}>
              Back to pipelines
            </Button>
          }
        />
      );
    }
    return <ErrorAlert error={run.error} title="Could not load the pipeline run" onRetry={() => void run.refetch()} />;
  }
  return <PipelineRunView provider={provider} run={run.data} stepChanges={stepChanges} />;
}

function PipelineRunView({ provider, run, stepChanges }: { provider: string; run: PipelineRun; stepChanges: StepStatusChanges }) {
  const queryClient = useQueryClient();
  const approve = useApprove();
  const reject = useRejectRun();
  const [rejecting, setRejecting] = useState<Decision | null>(null);
  const cancel = useCancelPipelineRun();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const final = isFinalRunStatus(run.status);
  // Cancel and approvals are the server's decision (run.actions); running the pipeline again is the role's.
  const can = useCan();
  const rerunning = can('pipelines.run');
  const navigate = useNavigate();
  const runAgain = useTriggerPipelineRun(run.pipelineId);
  const resume = useResumePipelineRun();
  const [confirmResume, setConfirmResume] = useState(false);
  const closeResume = () => {
    resume.reset();
    setConfirmResume(false);
  };
  const destroy = run.operation === 'destroy';

  // When the run ends, the pipeline (its active run, its steps' statuses) and its history change too.
  const wasFinal = useRef(final);
  useEffect(() => {
    if (final && !wasFinal.current) {
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(run.pipelineId) });
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.runs(run.pipelineId) });
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() });
    }
    wasFinal.current = final;
  }, [final, queryClient, run.pipelineId]);

  // The step's new status is the confirmation (no toast: it would sit over the steps' buttons).
  // The pipeline run shows the step's new state at once rather than after the stream's next event.
  const stepChanged = () => queryClient.invalidateQueries({ queryKey: pipelineRunKeys.detail(run.id) });
  const onApprove = (decision: Decision & { gate: Gate }, onSuccess: () => void) =>
    approve.mutate(decision, {
      onSuccess: () => {
        onSuccess();
        void stepChanged();
        focusNextAction();
      },
    });
  const approvingRunId = approve.isPending ? approve.variables?.runId : undefined;
  const failedRunId = approve.isError ? approve.variables?.runId : undefined;
  const closeReject = () => {
    reject.reset();
    setRejecting(null);
  };

  const closeCancel = () => {
    cancel.reset();
    setConfirmCancel(false);
  };

  return (
    <>
      <Anchor component={Link} to={`/${provider}/pipelines/${run.pipelineId}`} size="sm">
        ← {run.pipelineName}
      </Anchor>
      <PageHeader
        title={`Run #${run.number} of ${run.pipelineName}`}
        documentTitle={`Run #${run.number} · ${run.pipelineName}`}
        description={
          <>
            Triggered by {run.triggeredBy} from {sourceLabels[run.triggerSource] ?? run.triggerSource} ·{' '}
            {run.startedAt ? `started ${formatDateTime(run.startedAt)}` : `queued ${formatDateTime(run.createdAt)}`}
            {run.finishedAt && ` · finished ${formatDateTime(run.finishedAt)}`}
            {run.startedAt && run.finishedAt && ` · took ${formatDuration(run.startedAt, run.finishedAt)}`}
            {run.status === 'cancelled' && run.cancelledBy && ` · cancelled by ${run.cancelledBy}`}
          </>
        }
        actions={
          // The server says what this caller may do now (state, role and rules); the page offers exactly that.
          run.actions.cancel ? (
            <Button variant="default" color="red" onClick={() => setConfirmCancel(true)}>
              Cancel run
            </Button>
          ) : final ? (
            <>
              {run.actions.resume && (
                <Button onClick={() => setConfirmResume(true)}>Resume from step {resumeStart(run)?.position}</Button>
              )}
              {/* A new run from the first step; steps already up to date are skipped. */}
              <Guarded permission={rerunning}>
                <Button
                  variant={run.actions.resume ? 'default' : 'filled'}
                  loading={runAgain.isPending}
                  onClick={() =>
                    runAgain.mutate(run.operation, {
                      onSuccess: (created) => void navigate(`/${provider}/pipeline-runs/${created.id}`),
                    })
                  }
                >
                  {destroy ? 'Destroy again' : 'Run again'}
                </Button>
              </Guarded>
            </>
          ) : undefined
        }
      />

      <Stack gap="md">
        {runAgain.isError && <ErrorAlert error={runAgain.error} title="Could not run the pipeline again" />}
        <Group gap="sm">
          <Badge color={destroy ? 'red' : 'blue'} variant="light" tt="none">
            {destroy ? 'Destroy · reverse order (last step first)' : 'Execute · in order'}
          </Badge>
          {run.resumedFromRunId && (
            <Anchor component={Link} to={`/${provider}/pipeline-runs/${run.resumedFromRunId}`} size="sm">
              Resumes an earlier run
            </Anchor>
          )}
        </Group>
        <Group gap="sm" role="status" aria-live="polite" aria-label="Run status">
          <Text fw={500}>Status</Text>
          <StatusBadge status={run.status} />
          {!final && (
            <Text size="sm" c="dimmed">
              Updates live.
            </Text>
          )}
        </Group>
        {run.status === 'failed' && (
          <Text size="sm">
            The pipeline stopped at the failed step; later steps were not run. Fix the deployment, then resume from the
            failed step, or run the pipeline again: steps already up to date are skipped.
          </Text>
        )}

        <PipelineRunTimeline run={run} changes={stepChanges} live={!final} />

        <section aria-labelledby="run-steps-heading">
          <Title order={2} size="h4" id="run-steps-heading" mb="xs">
            Steps
          </Title>
          {run.steps.length === 0 ? (
            <Text size="sm" c="dimmed">
              This run has no steps.
            </Text>
          ) : (
            <Stack component="ol" gap="sm" p={0} m={0} aria-label="Steps" style={{ listStyle: 'none' }}>
              {run.steps.map((step) => (
                <RunStepItem
                  key={step.position}
                  provider={provider}
                  step={step}
                  current={!final && run.currentStepPosition === step.position}
                  approving={
                    approvingRunId && approvingRunId === step.deploymentRunId ? (approve.variables?.gate ?? null) : null
                  }
                  approveError={failedRunId && failedRunId === step.deploymentRunId ? approve.error : null}
                  onApprove={onApprove}
                  onReject={setRejecting}
                />
              ))}
            </Stack>
          )}
        </section>
      </Stack>

      <ResumeRunDialog
        opened={confirmResume}
        run={run}
        loading={resume.isPending}
        error={resume.error}
        onClose={closeResume}
        onConfirm={() =>
          resume.mutate(run.id, {
            onSuccess: (created) => {
              closeResume();
              void navigate(`/${provider}/pipeline-runs/${created.id}`);
            },
          })
        }
      />
      <RejectRunDialog
        opened={rejecting !== null}
        message={`Reject this step? Its deployment run ends rejected, run #${run.number} of ${run.pipelineName} stops and later steps are not run.`}
        loading={reject.isPending}
        error={reject.error}
        onClose={closeReject}
        onConfirm={(comment) =>
          rejecting &&
          reject.mutate(
            { ...rejecting, comment },
            {
              onSuccess: () => {
                closeReject();
                void stepChanged();
                focusNextAction();
              },
            },
          )
        }
      />
      <CancelRunDialog
        opened={confirmCancel}
        message={`Cancel run #${run.number} of ${run.pipelineName}? Its current step is cancelled and the later ones are not run. Nothing already applied is undone.`}
        loading={cancel.isPending}
        error={cancel.error}
        onClose={closeCancel}
        onConfirm={(reason) =>
          cancel.mutate({ runId: run.id, reason }, {
            onSuccess: () => {
              closeCancel();
              focusNextAction();
            },
          })
        }
      />
    </>
  );
}
