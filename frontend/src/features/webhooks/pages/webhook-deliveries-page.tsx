import { Anchor, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { ForbiddenState } from '../../../components/forbidden-state';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useCan } from '../../access/api/permissions';
import { useRedeliver } from '../api/use-webhook-mutations';
import { webhookQueries } from '../api/webhook-queries';
import { DeliveriesTable } from '../components/deliveries-table';

/** `/webhooks/:webhookId` (admin): an endpoint's delivery log, newest first, with each attempt and redelivery. */
export function WebhookDeliveriesPage() {
  const can = useCan();
  const { webhookId = '' } = useParams();
  if (!can('webhooks.manage').allowed) return <ForbiddenState role="admin" />;
  return <DeliveryLog webhookId={webhookId} />;
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const webhooks = useQuery(webhookQueries.list());
  const deliveries = useQuery(webhookQueries.deliveries(webhookId));
  const redeliver = useRedeliver(webhookId);
  const webhook = webhooks.data?.find((w) => w.id === webhookId);

  return (
    <>
      <PageHeader
        title="Delivery log"
        description={webhook ? webhook.url : undefined}
        actions={
          <Anchor component={Link} to="/webhooks" size="sm">
            All webhooks
          </Anchor>
        }
      />
      <Stack>
        {redeliver.isError && <ErrorAlert error={redeliver.error} title="Could not redeliver" />}
        {deliveries.isPending ? (
          <TableSkeleton label="Loading deliveries" />
        ) : deliveries.isError ? (
          <ErrorAlert error={deliveries.error} title="Could not load the delivery log" onRetry={() => void deliveries.refetch()} />
        ) : deliveries.data.length === 0 ? (
          <EmptyState title="Nothing sent yet" description="Deliveries show here as soon as a run changes." />
        ) : (
          <DeliveriesTable
            deliveries={deliveries.data}
            redelivering={redeliver.isPending ? (redeliver.variables ?? null) : null}
            onRedeliver={(delivery) => redeliver.mutate(delivery.id)}
          />
        )}
      </Stack>
    </>
  );
}
