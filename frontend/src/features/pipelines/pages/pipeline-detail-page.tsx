import { Alert, Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import { EmptyState } from '../../../components/empty-state';
import { Guarded } from '../../../components/guarded';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useProviderParam } from '../../../lib/use-provider';
import { useCan } from '../../access/api/permissions';
import { pipelineQueries, type PipelineStep, type VersionedPipeline } from '../api/pipeline-queries';
import { useMoveStep } from '../api/use-move-step';
import { usePipelineRunEvents } from '../api/use-pipeline-run-events';
import { useTriggerPipelineRun } from '../api/use-trigger-pipeline-run';
import { AddDeploymentDialog } from '../components/add-deployment-dialog';
import { DeletePipelineDialog } from '../components/delete-pipeline-dialog';
import { DestroyPipelineDialog } from '../components/destroy-pipeline-dialog';
import { PipelineFormModal } from '../components/pipeline-form-modal';
import { PipelineRunsTable } from '../components/pipeline-runs-table';
import { RemoveStepDialog } from '../components/remove-step-dialog';
import { StepInputsDialog } from '../components/step-inputs-dialog';
import { StepList } from '../components/step-list';

/** An empty pipeline cannot run (the API answers 409): the button says why before anyone clicks. */
const EMPTY_PIPELINE = {
  allowed: false,
  visible: true,
  reason: 'Add a deployment first: an empty pipeline has nothing to run.',
};

export function PipelineDetailPage() {
  const provider = useProviderParam();
  const { pipelineId = '' } = useParams();
  const detail = useQuery(pipelineQueries.detail(pipelineId));
  const listHref = `/${provider}/pipelines`;

  if (detail.isPending) {
    return <TableSkeleton rows={4} label="Loading pipeline" />;
  }
  if (detail.isError) {
    if (isApiError(detail.error) && detail.error.status === 404) {
      return (
        <EmptyState
          title="Pipeline not found"
          description="It may have been deleted."
          action={
            <Button component={Link} to={listHref}>
              Back to pipelines
            </Button>
          }
        />
      );
    }
    return <ErrorAlert error={detail.error} title="Could not load the pipeline" onRetry={() => void detail.refetch()} />;
  }
  return <PipelineDetail provider={provider} versioned={detail.data} />;
}

function PipelineDetail({ provider, versioned }: { provider: string; versioned: VersionedPipeline }) {
  const { pipeline } = versioned;
  const navigate = useNavigate();
  const { moveStep, isSaving } = useMoveStep(pipeline.id);
  const trigger = useTriggerPipelineRun(pipeline.id);
  const can = useCan();
  const editable = can('pipelines.edit');
  const running = can('pipelines.run');
  // Edit works on the pipeline as it was when the dialog opened: its ETag guards the change.
  const [editing, setEditing] = useState<{ opened: boolean; snapshot: VersionedPipeline | null }>({
    opened: false,
    snapshot: null,
  });
  const [deleting, setDeleting] = useState(false);
  const [adding, setAdding] = useState(false);
  const [removal, setRemoval] = useState<{ opened: boolean; step: PipelineStep | null }>({ opened: false, step: null });
  const [wiring, setWiring] = useState<PipelineStep | null>(null);
  const [destroying, setDestroying] = useState(false);

  // The steps' statuses follow the active run as it goes.
  usePipelineRunEvents(pipeline.activeRunId, pipeline.id, Boolean(pipeline.activeRunId));
  // A refusal is about the pipeline as it was: once it is edited (e.g. a step added), the message is gone.
  const [triggeredVersion, setTriggeredVersion] = useState<number | null>(null);
  const run = () => {
    setTriggeredVersion(pipeline.version);
    trigger.mutate(undefined, {
      onSuccess: (created) => void navigate(`/${provider}/pipeline-runs/${created.id}`),
    });
  };
  const empty = pipeline.steps.length === 0;
  const runPermission = running.allowed && empty ? EMPTY_PIPELINE : running;

  return (
    <>
      <Anchor component={Link} to={`/${provider}/pipelines`} size="sm">
        ← Pipelines
      </Anchor>
      <PageHeader
        title={pipeline.name}
        description={pipeline.description || 'No description'}
        actions={
          <>
            <Guarded permission={editable}>
              <Button variant="default" onClick={() => setEditing({ opened: true, snapshot: versioned })}>
                Edit
              </Button>
            </Guarded>
            <Guarded permission={editable}>
              <Button variant="default" color="red" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            </Guarded>
            <Guarded permission={runPermission}>
              <Button variant="default" color="red" onClick={() => setDestroying(true)}>
                Destroy pipeline…
              </Button>
            </Guarded>
            <Guarded permission={runPermission}>
              <Button onClick={run} loading={trigger.isPending}>
                Run Pipeline
              </Button>
            </Guarded>
          </>
        }
      />

      <Stack gap="lg">
        {trigger.isError && triggeredVersion === pipeline.version && (
          <ErrorAlert error={trigger.error} title="Could not run the pipeline" />
        )}
        {pipeline.activeRunId && (
          <Alert color="blue" variant="light" title="A run is in progress">
            <Anchor component={Link} to={`/${provider}/pipeline-runs/${pipeline.activeRunId}`} size="sm">
              Follow the active run
            </Anchor>
          </Alert>
        )}

        <section aria-labelledby="pipeline-steps-heading">
          <Group justify="space-between" mb="xs">
            <Stack gap={2}>
              <Title order={2} size="h4" id="pipeline-steps-heading">
                Deployments
              </Title>
              <Text size="sm" c="dimmed">
                They run from top to bottom, each after the previous one succeeds.
                {editable.allowed &&
                  ' Reorder with the arrows or drag the handles; changes take effect on the next run.'}
              </Text>
            </Stack>
            <Guarded permission={editable}>
              <Button variant="light" onClick={() => setAdding(true)}>
                Add Deployment
              </Button>
            </Guarded>
          </Group>
          {empty ? (
            <EmptyState
              title="This pipeline is empty"
              description="Add the deployments it should run, in order: foundations (networks, shared services) first, then what depends on them."
              action={
                <Guarded permission={editable}>
                  <Button onClick={() => setAdding(true)}>Add your first deployment</Button>
                </Guarded>
              }
            />
          ) : (
            <StepList
              provider={provider}
              steps={pipeline.steps}
              onMove={moveStep}
              saving={isSaving}
              editable={editable.allowed}
              onRemove={(step) => setRemoval({ opened: true, step })}
              onEditInputs={setWiring}
            />
          )}
        </section>

        <section aria-labelledby="pipeline-runs-heading">
          <Title order={2} size="h4" id="pipeline-runs-heading" mb="xs">
            Run history
          </Title>
          <RunHistory provider={provider} pipelineId={pipeline.id} />
        </section>
      </Stack>

      <PipelineFormModal
        opened={editing.opened}
        onClose={() => setEditing((current) => ({ ...current, opened: false }))}
        provider={pipeline.provider}
        pipeline={editing.snapshot}
      />
      <DeletePipelineDialog opened={deleting} pipeline={pipeline} onClose={() => setDeleting(false)} />
      {wiring && (
        <StepInputsDialog
          pipeline={pipeline}
          step={pipeline.steps.find((step) => step.id === wiring.id) ?? wiring}
          onClose={() => setWiring(null)}
        />
      )}
      {destroying && <DestroyPipelineDialog pipeline={pipeline} onClose={() => setDestroying(false)} />}
      <AddDeploymentDialog opened={adding} pipeline={pipeline} onClose={() => setAdding(false)} />
      <RemoveStepDialog
        opened={removal.opened}
        pipeline={pipeline}
        step={removal.step}
        onClose={() => setRemoval((current) => ({ ...current, opened: false }))}
      />
    </>
  );
}

function RunHistory({ provider, pipelineId }: { provider: string; pipelineId: string }) {
  const runs = useInfiniteQuery(pipelineQueries.runs(pipelineId));
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];

  if (runs.isPending) return <TableSkeleton rows={2} label="Loading runs" />;
  if (runs.isError && items.length === 0) {
    return <ErrorAlert error={runs.error} title="Could not load the runs" onRetry={() => void runs.refetch()} />;
  }
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No runs yet. Click Run Pipeline to run its deployments in order.
      </Text>
    );
  }
  return (
    <>
      <PipelineRunsTable provider={provider} runs={items} />
      {runs.isFetchNextPageError && <ErrorAlert error={runs.error} title="Could not load more runs" />}
      <LoadMore hasMore={runs.hasNextPage} loading={runs.isFetchingNextPage} onLoadMore={() => void runs.fetchNextPage()} />
    </>
  );
}
