import { Button, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { LoadMore } from '../../../components/load-more';
import { StatusBadge } from '../../../components/status-badge';
import { TableSkeleton } from '../../../components/table-skeleton';
import { pipelineQueries, type Pipeline } from '../api/pipeline-queries';
import { useAddPipelineStep } from '../api/use-add-pipeline-step';

interface AddDeploymentDialogProps {
  opened: boolean;
  onClose: () => void;
  pipeline: Pipeline;
}

/** Browse or search the provider's deployments and add them one at a time; each is appended at the end. */
export function AddDeploymentDialog({ opened, onClose, pipeline }: AddDeploymentDialogProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Add deployment"
      closeButtonProps={{ 'aria-label': 'Close' }}
      size="lg"
    >
      {/* Mounted only while open, so each opening starts with an empty search. */}
      <AddDeploymentContent pipeline={pipeline} onClose={onClose} />
    </Modal>
  );
}

function AddDeploymentContent({ pipeline, onClose }: { pipeline: Pipeline; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const deployments = useInfiniteQuery({
    ...pipelineQueries.deploymentOptions(pipeline.provider, q),
    placeholderData: keepPreviousData,
  });
  const addStep = useAddPipelineStep(pipeline.id);
  const [adding, setAdding] = useState<string | null>(null);
  // Said inside the dialog: a toast would cover its buttons.
  const [lastAdded, setLastAdded] = useState<string | null>(null);

  const inPipeline = new Set(pipeline.steps.map((step) => step.deploymentId));
  const all = deployments.data?.pages.flatMap((page) => page.items) ?? [];
  const offered = all.filter((deployment) => !inPipeline.has(deployment.id));

  const add = (id: string, name: string) => {
    setAdding(id);
    setLastAdded(null);
    addStep.mutate(id, {
      onSuccess: (versioned) => setLastAdded(`Added ${name} as step ${versioned.pipeline.steps.length}.`),
      onSettled: () => setAdding(null),
    });
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Deployments run in the order they are added; you can reorder them afterwards.
      </Text>
      <TextInput
        label="Search deployments"
        placeholder="Name of a deployment"
        type="search"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        data-autofocus
      />
      <Text size="sm" c="green.8" role="status" aria-live="polite">
        {lastAdded}
      </Text>
      {addStep.isError && <ErrorAlert error={addStep.error} title="Could not add the deployment" />}

      {deployments.isPending ? (
        <TableSkeleton rows={3} label="Loading deployments" />
      ) : deployments.isError && all.length === 0 ? (
        <ErrorAlert
          error={deployments.error}
          title="Could not load deployments"
          onRetry={() => void deployments.refetch()}
        />
      ) : offered.length === 0 ? (
        <EmptyState
          title={q ? 'No matching deployments' : 'No deployments to add'}
          description={
            q
              ? `No deployment outside this pipeline matches “${q}”.`
              : all.length > 0
                ? 'Every deployment listed here is already in the pipeline.'
                : 'Create a deployment first, then add it here.'
          }
        />
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} aria-label="Deployments to add" style={{ listStyle: 'none' }}>
          {offered.map((deployment) => (
            <Paper component="li" key={deployment.id} withBorder p="sm" aria-label={deployment.name}>
              <Group justify="space-between" wrap="wrap">
                <Stack gap={2} miw={0}>
                  <Text fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {deployment.name}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {deployment.projectName} · {deployment.templateName}
                  </Text>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  <StatusBadge status={deployment.status} />
                  <Button
                    size="xs"
                    aria-label={`Add ${deployment.name}`}
                    loading={adding === deployment.id}
                    disabled={adding !== null && adding !== deployment.id}
                    onClick={() => add(deployment.id, deployment.name)}
                  >
                    Add
                  </Button>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {deployments.isFetchNextPageError && <ErrorAlert error={deployments.error} title="Could not load more deployments" />}
      <LoadMore
        hasMore={deployments.hasNextPage}
        loading={deployments.isFetchingNextPage}
        onLoadMore={() => void deployments.fetchNextPage()}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
