import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { CreatedWebhook } from '../api/webhook-queries';

interface WebhookSecretModalProps {
  /** The new endpoint; `null` when there is none to show (closing the dialog forgets its secret). */
  created: CreatedWebhook | null;
  onClose: () => void;
}

/** The only time an endpoint's signing secret is shown: with a copy button and a warning that it will not be shown again. */
export function WebhookSecretModal({ created, onClose }: WebhookSecretModalProps) {
  const secret = created?.secret ?? '';
  return (
    <Modal
      opened={created != null}
      onClose={onClose}
      title="Copy the signing secret"
      closeButtonProps={{ 'aria-label': 'Close' }}
      // A stray click must not lose the only copy.
      closeOnClickOutside={false}
      size="lg"
    >
      <Stack>
        <Alert color="yellow" variant="light" title="It will not be shown again">
          <Text size="sm">
            The receiver at {created?.webhook.url} needs this secret to check that each request comes from Amnify Deploy
            (Standard Webhooks: the <Text span ff="monospace">webhook-signature</Text> header). It is stored encrypted and
            never shown again.
          </Text>
        </Alert>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            label="Signing secret"
            value={secret}
            readOnly
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            onFocus={(event) => event.currentTarget.select()}
            style={{ flexGrow: 1 }}
          />
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button color={copied ? 'teal' : undefined} onClick={copy} aria-label={copied ? 'Copied' : 'Copy secret'}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
