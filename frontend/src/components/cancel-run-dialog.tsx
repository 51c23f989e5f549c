import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from './error-alert';

/** The longest reason the API stores. */
export const CANCEL_REASON_MAX = 500;

interface CancelRunDialogProps {
  opened: boolean;
  /** What cancelling does to this run, e.g. "Its current step is cancelled and the later ones are not run." */
  message: ReactNode;
  loading: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/** The one cancel dialog of both run views: what cancelling does, an optional reason, "Keep running" / "Cancel run". */
export function CancelRunDialog({ opened, message, loading, error, onConfirm, onClose }: CancelRunDialogProps) {
  const [reason, setReason] = useState('');
  return (
    <Modal opened={opened} onClose={loading ? () => {} : onClose} title="Cancel run" centered>
      <Stack>
        {typeof message === 'string' ? <Text size="sm">{message}</Text> : message}
        <Textarea
          label="Reason (optional)"
          description="Shown on the run and in the audit log."
          autosize
          minRows={2}
          maxLength={CANCEL_REASON_MAX}
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
