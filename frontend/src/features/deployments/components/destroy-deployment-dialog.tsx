import { Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert';

interface DestroyDeploymentDialogProps {
  opened: boolean;
  deploymentName: string;
  loading: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/** Destroy asks for the deployment's name to be typed: the button stays disabled until it matches. */
export function DestroyDeploymentDialog({ opened, deploymentName, loading, error, onConfirm, onClose }: DestroyDeploymentDialogProps) {
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === deploymentName;
  const close = () => {
    setTyped('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={loading ? () => {} : close} title="Destroy deployment" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) onConfirm();
        }}
      >
        <Stack>
          <Text size="sm">
            This queues a run that destroys the infrastructure of <strong>{deploymentName}</strong>. It still needs its
            plan and apply approved before anything is removed.
          </Text>
          <TextInput
            label={
              <>
                Type <Code>{deploymentName}</Code> to confirm
              </>
            }
            aria-label="Deployment name to confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            data-autofocus
          />
          {error != null && <ErrorAlert error={error} title="Could not start the destroy" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={loading}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!matches} loading={loading}>
              Destroy
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
