import { Text } from '@mantine/core';
import { ShownOnceModal } from '../../../components/shown-once-modal';
import type { CreatedApiToken } from '../api/token-queries';

interface TokenCreatedModalProps {
  /** The new token; `null` when there is none to show (closing the dialog forgets it). */
  created: CreatedApiToken | null;
  onClose: () => void;
}

/** The only time a token's value is shown. */
export function TokenCreatedModal({ created, onClose }: TokenCreatedModalProps) {
  return (
    <ShownOnceModal
      opened={created != null}
      onClose={onClose}
      title="Copy your new token"
      label="Token"
      value={created?.token ?? ''}
      explanation={
        <>
          Copy “{created?.apiToken.name}” now and keep it somewhere safe, e.g. your CI’s secret store. Amnify Deploy keeps
          only a hash of it: once this dialog is closed, nobody can see it again.
        </>
      }
      footer={
        <Text size="sm" c="dimmed">
          Send it as <Text span ff="monospace">Authorization: Bearer &lt;token&gt;</Text>.
        </Text>
      }
    />
  );
}
