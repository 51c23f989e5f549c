import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { DECISION_COMMENT_MAX } from './decision-fields';
import { ErrorAlert } from './error-alert';

interface RejectRunDialogProps {
  opened: boolean;
  /** What rejecting does here, e.g. "The pipeline run stops; later steps are not run." */
  message: string;
  loading: boolean;
  error: unknown;
  onConfirm: (comment: string) => void;
  onClose: () => void;
}

/** Rejecting a gate: a comment is required (it tells whoever triggered the run why), then "Reject". */
export function RejectRunDialog({ opened, message, loading, error, onConfirm, onClose }: RejectRunDialogProps) {
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = comment.trim().length === 0;
  return (
    <Modal opened={opened} onClose={loading ? () => {} : onClose} title="Reject" centered>
      <Stack>
        <Text size="sm">{message}</Text>
        <Textarea
          label="Why? (required)"
          description="Shown on the run and in the audit log."
          autosize
          minRows={2}
          maxLength={DECISION_COMMENT_MAX}
          required
          value={comment}
          error={touched && missing ? 'Say why you reject it.' : undefined}
          onChange={(event) => setComment(event.currentTarget.value)}
          data-autofocus
        />
        {error != null && <ErrorAlert error={error} title="Could not reject" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={loading}>
            Keep waiting
          </Button>
          <Button
            color="red"
            loading={loading}
            onClick={() => {
              setTouched(true);
              if (!missing) onConfirm(comment.trim());
            }}
          >
            Reject
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
