import { Stack, Text } from '@mantine/core';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import type { PipelineStep } from '../api/pipeline-queries';
import { useRemovePipelineStep } from '../api/use-remove-pipeline-step';

interface RemoveStepDialogProps {
  opened: boolean;
  pipelineId: string;
  step: PipelineStep | null;
  onClose: () => void;
}

export function RemoveStepDialog({ opened, pipelineId, step, onClose }: RemoveStepDialogProps) {
  const removeStep = useRemovePipelineStep(pipelineId);

  const close = () => {
    removeStep.reset();
    onClose();
  };

  return (
    <ConfirmDialog
      opened={opened}
      title="Remove from pipeline"
      message={
        <Stack gap="xs">
          <Text size="sm">Remove “{step?.deploymentName ?? ''}” from this pipeline?</Text>
          <Text size="sm" c="dimmed">
            The deployment itself is kept: its infrastructure is untouched, and it can still run on its own or in other
            pipelines. Past runs of this pipeline are unchanged.
          </Text>
        </Stack>
      }
      confirmLabel="Remove"
      loading={removeStep.isPending}
      error={removeStep.error}
      onClose={close}
      onConfirm={() => {
        if (!step) return;
        // The step leaving the list is the confirmation.
        removeStep.mutate(step.id, { onSuccess: close });
      }}
    />
  );
}
