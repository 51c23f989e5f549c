import { Text } from '@mantine/core';
import { ShownOnceModal } from '../../../components/shown-once-modal';
import type { CreatedWebhook } from '../api/webhook-queries';

interface WebhookSecretModalProps {
  /** The new endpoint; `null` when there is none to show (closing the dialog forgets its secret). */
  created: CreatedWebhook | null;
  onClose: () => void;
}

/** The only time an endpoint's signing secret is shown. */
export function WebhookSecretModal({ created, onClose }: WebhookSecretModalProps) {
  return (
    <ShownOnceModal
      opened={created != null}
      onClose={onClose}
      title="Copy the signing secret"
      label="Signing secret"
      value={created?.secret ?? ''}
      explanation={
        <>
          The receiver at {created?.webhook.url} needs this secret to check that each request comes from Amnify Deploy
          (Standard Webhooks: the <Text span ff="monospace">webhook-signature</Text> header). It is stored encrypted and
          never shown again.
        </>
      }
    />
  );
}
