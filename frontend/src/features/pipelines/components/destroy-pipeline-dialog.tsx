import { Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../../components/error-alert';
import type { Pipeline } from '../api/pipeline-queries';
import { useTriggerPipelineRun } from '../api/use-trigger-pipeline-run';

interface DestroyPipelineDialogProps {
  pipeline: Pipeline;
  onClose: () => void;
}

/**
 * Destroys every deployment of the pipeline, last step first (what depends on a step goes before it), each through
 * both approvals. Typing the pipeline's name confirms; the order is shown before anything starts.
 */
export function DestroyPipelineDialog({ pipeline, onClose }: DestroyPipelineDialogProps) {
  const [typed, setTyped] = useState('');
  const trigger = useTriggerPipelineRun(pipeline.id);
  const navigate = useNavigate();
  const reversed = [...pipeline.steps].reverse();

  return (
    <Modal opened onClose={trigger.isPending ? () => {} : onClose} title="Destroy pipeline" centered>
      <Stack>
        <Text size="sm">
          This destroys the infrastructure of every deployment in “{pipeline.name}”, in reverse order. Each step waits for
          its plan and apply approvals; a deployment with nothing to destroy is skipped; the run stops at the first failure.
        </Text>
        <div>
          <Text size="sm" fw={500} id="destroy-order-heading">
            Destroy order
          </Text>
          <List type="ordered" size="sm" aria-labelledby="destroy-order-heading">
            {reversed.map((step) => (
              <List.Item key={step.id}>
                {step.deploymentName}{' '}
                <Text span size="xs" c="dimmed">
                  (step {step.position})
                </Text>
              </List.Item>
            ))}
          </List>
        </div>
        <TextInput
          label={`Type “${pipeline.name}” to confirm`}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          autoComplete="off"
          data-autofocus
        />
        {trigger.isError && <ErrorAlert error={trigger.error} title="Could not start the destroy" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={trigger.isPending}>
            Cancel
          </Button>
          <Button
            color="red"
            disabled={typed !== pipeline.name}
            loading={trigger.isPending}
            onClick={() =>
              trigger.mutate('destroy', {
                onSuccess: (run) => void navigate(`/${pipeline.provider}/pipeline-runs/${run.id}`),
              })
            }
          >
            Destroy pipeline
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
