import { Button, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { ForbiddenState } from '../../../components/forbidden-state';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useCan } from '../../access/api/permissions';
import { useDeleteWebhook } from '../api/use-webhook-mutations';
import { webhookQueries, type CreatedWebhook, type Webhook } from '../api/webhook-queries';
import { NewWebhookModal } from '../components/new-webhook-modal';
import { WebhookSecretModal } from '../components/webhook-secret-modal';
import { WebhooksTable } from '../components/webhooks-table';

/** `/webhooks` (admin): endpoints run events are POSTed to, signed — register (secret shown once), list, delete. */
export function WebhooksPage() {
  const can = useCan();
  if (!can('webhooks.manage').allowed) return <ForbiddenState role="admin" />;
  return <Webhooks />;
}

function Webhooks() {
  const webhooks = useQuery(webhookQueries.list());
  const deleteWebhook = useDeleteWebhook();
  const [creating, setCreating] = useState(false);
  // The new secret lives only here, only while its dialog is open.
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const openCreate = () => setCreating(true);

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Every deployment-run and pipeline-run change and every approval asked for, POSTed to your endpoints and signed (Standard Webhooks). Failed deliveries are retried for about an hour."
        actions={<Button onClick={openCreate}>New webhook</Button>}
      />
      <Stack>
        {webhooks.isPending ? (
          <TableSkeleton rows={3} label="Loading webhooks" />
        ) : webhooks.isError ? (
          <ErrorAlert error={webhooks.error} title="Could not load the webhooks" onRetry={() => void webhooks.refetch()} />
        ) : webhooks.data.length === 0 ? (
          <EmptyState
            title="No webhooks yet"
            description="Register an endpoint to be told when runs change or wait for an approval."
            action={<Button onClick={openCreate}>Create your first webhook</Button>}
          />
        ) : (
          <WebhooksTable webhooks={webhooks.data} onDelete={setDeleting} />
        )}
      </Stack>

      <NewWebhookModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(webhook) => {
          setCreating(false);
          setCreated(webhook);
        }}
      />
      <WebhookSecretModal created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        opened={deleting != null}
        title="Delete webhook"
        message={`Nothing more is sent to ${deleting?.url ?? ''}, and its delivery log goes with it.`}
        confirmLabel="Delete"
        loading={deleteWebhook.isPending}
        error={deleteWebhook.error}
        onConfirm={() =>
          deleting &&
          deleteWebhook.mutate(deleting.id, {
            onSuccess: () => {
              setDeleting(null);
              deleteWebhook.reset();
            },
          })
        }
        onClose={() => {
          setDeleting(null);
          deleteWebhook.reset();
        }}
      />
    </>
  );
}
