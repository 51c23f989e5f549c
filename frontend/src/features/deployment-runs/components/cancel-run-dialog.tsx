import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert';

interface CancelRunDialogProps {
  opened: boolean;
  loading: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/** Asks for an optional reason before cancelling; the cloud is left untouched. */
export function CancelRunDialog({ opened, loading, error, onConfirm, onClose }: CancelRunDialogProps) {
  const [reason, setReason] = useState('');
  return (
    <Modal opened={opened} onClose={loading ? () => {} : onClose} title="Cancel run" centered>
      <Stack>
        <Text size="sm">Cancel this run? Nothing in the cloud is changed by cancelling.</Text>
        <Textarea
          label="Reason (optional)"
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          data-autofocus
        />
        {error != null && <ErrorAlert error={error} title="Could not cancel the run" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={loading}>
            Keep running
          </Button>
          <Button color="red" loading={loading} onClick={() => onConfirm(reason)}>
            Cancel run
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
