import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { CreatedApiToken } from '../api/token-queries';

interface TokenCreatedModalProps {
  /** The new token; `null` when there is none to show (closing the dialog forgets it). */
  created: CreatedApiToken | null;
  onClose: () => void;
}

/** The only time a token's value is shown: with a copy button and a warning that it will not be shown again. */
export function TokenCreatedModal({ created, onClose }: TokenCreatedModalProps) {
  const token = created?.token ?? '';
  return (
    <Modal
      opened={created != null}
      onClose={onClose}
      title="Copy your new token"
      closeButtonProps={{ 'aria-label': 'Close' }}
      // A stray click must not lose the only copy.
      closeOnClickOutside={false}
      size="lg"
    >
      <Stack>
        <Alert color="yellow" variant="light" title="It will not be shown again">
          <Text size="sm">
            Copy “{created?.apiToken.name}” now and keep it somewhere safe, e.g. your CI’s secret store. Amnify Deploy
            keeps only a hash of it: once this dialog is closed, nobody can see it again.
          </Text>
        </Alert>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            label="Token"
            value={token}
            readOnly
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            onFocus={(event) => event.currentTarget.select()}
            style={{ flexGrow: 1 }}
          />
          <CopyButton value={token}>
            {({ copied, copy }) => (
              <Button color={copied ? 'teal' : undefined} onClick={copy} aria-label={copied ? 'Copied' : 'Copy token'}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm" c="dimmed">
          Send it as <Text span ff="monospace">Authorization: Bearer &lt;token&gt;</Text>.
        </Text>
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
