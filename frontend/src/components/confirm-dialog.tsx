import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert';

interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  message: ReactNode;
  /** Text of the confirming button, e.g. "Delete". */
  confirmLabel: string;
  /** Text of the button that backs out, when "Cancel" would be ambiguous (e.g. cancelling a wizard). @default "Cancel" */
  cancelLabel?: string;
  /** Red confirm button for destructive actions. @default true */
  danger?: boolean;
  /** The confirmed action is running: the button spins and the dialog stays open. */
  loading?: boolean;
  /** The confirmed action failed: shown inside the dialog. */
  error?: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog({
  opened,
  title,
  message,
  confirmLabel,
  cancelLabel = 'Cancel',
  danger = true,
  loading = false,
  error,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  return (
    <Modal opened={opened} onClose={loading ? () => {} : onClose} title={title} centered>
      <Stack>
        {typeof message === 'string' ? <Text size="sm">{message}</Text> : message}
        {error != null && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={loading}>
            {cancelLabel}
          </Button>
          <Button color={danger ? 'red' : undefined} onClick={onConfirm} loading={loading} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
