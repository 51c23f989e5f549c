import { Stack, Text } from '@mantine/core';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import type { Pipeline, PipelineStep } from '../api/pipeline-queries';
import { useRemovePipelineStep } from '../api/use-remove-pipeline-step';

interface RemoveStepDialogProps {
  opened: boolean;
  pipeline: Pipeline;
  step: PipelineStep | null;
  onClose: () => void;
}

export function RemoveStepDialog({ opened, pipeline, step, onClose }: RemoveStepDialogProps) {
  const removeStep = useRemovePipelineStep(pipeline.id);
  // Later steps that take a value from this one: removing it removes that wiring too, so the dialog says so first.
  const fed = pipeline.steps.flatMap((consumer) =>
    consumer.inputs.filter((input) => input.fromStepId === step?.id).map((input) => `${consumer.deploymentName}.${input.variable}`),
  );

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
          {fed.length > 0 && (
            <Text size="sm" c="red">
              Later steps take values from it ({fed.join(', ')}): that wiring is removed too, and those variables go back
              to their deployments&apos; own values.
            </Text>
          )}
        </Stack>
      }
      confirmLabel={fed.length > 0 ? 'Remove with its wiring' : 'Remove'}
      loading={removeStep.isPending}
      error={removeStep.error}
      onClose={close}
      onConfirm={() => {
        if (!step) return;
        // The step leaving the list is the confirmation.
        removeStep.mutate({ stepId: step.id, force: fed.length > 0 }, { onSuccess: close });
      }}
    />
  );
}
