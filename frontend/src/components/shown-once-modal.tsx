import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';

interface ShownOnceModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** What the value is, e.g. "Token": the field's label, and "Copy token" for the copy button. */
  label: string;
  value: string;
  /** Why it matters and where it goes, in the warning. */
  explanation: ReactNode;
  /** Anything to say under the value (how to send it). */
  footer?: ReactNode;
}

/** The only time a secret the server keeps only as a hash or sealed is shown: with a copy button and a warning. */
export function ShownOnceModal({ opened, onClose, title, label, value, explanation, footer }: ShownOnceModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      closeButtonProps={{ 'aria-label': 'Close' }}
      // A stray click must not lose the only copy.
      closeOnClickOutside={false}
      size="lg"
    >
      <Stack>
        <Alert color="yellow" variant="light" title="It will not be shown again">
          <Text size="sm">{explanation}</Text>
        </Alert>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            label={label}
            value={value}
            readOnly
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            onFocus={(event) => event.currentTarget.select()}
            style={{ flexGrow: 1 }}
          />
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button
                color={copied ? 'teal' : undefined}
                onClick={copy}
                aria-label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        {footer}
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
