import { Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { Fragment, useState } from 'react';
import { StatusBadge } from '../../../components/status-badge';
import { Timestamp } from '../../../components/timestamp';
import { eventTypeLabel, type WebhookAttempt, type WebhookDelivery } from '../api/webhook-queries';

interface DeliveriesTableProps {
  deliveries: WebhookDelivery[];
  /** The delivery being sent again, if any. */
  redelivering: string | null;
  onRedeliver: (delivery: WebhookDelivery) => void;
}

function outcome(attempt: WebhookAttempt): string {
  if (attempt.statusCode != null) return attempt.error ? `${attempt.statusCode}: ${attempt.error}` : `${attempt.statusCode}`;
  return attempt.error ?? 'No answer';
}

/** The delivery log: each event sent, its status and attempts; a row opens to show every attempt. */
export function DeliveriesTable({ deliveries, redelivering, onRedeliver }: DeliveriesTableProps) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" aria-label="Deliveries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Event</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Attempts</Table.Th>
            <Table.Th>Last answer</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deliveries.map((delivery) => {
            const last = delivery.log.at(-1);
            const expanded = open === delivery.id;
            return (
              <Fragment key={delivery.id}>
                <Table.Tr>
                  <Table.Td>
                    <Text size="sm">{eventTypeLabel(delivery.eventType)}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {delivery.eventId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={delivery.status} />
                    {delivery.nextAttemptAt && (
                      <Text size="xs" c="dimmed">
                        next <Timestamp iso={delivery.nextAttemptAt} />
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      aria-expanded={expanded}
                      aria-label={`${delivery.attempts} attempts of ${delivery.eventId}`}
                      disabled={delivery.log.length === 0}
                      onClick={() => setOpen(expanded ? null : delivery.id)}
                    >
                      {delivery.attempts}
                    </Button>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{last ? `${outcome(last)} · ${last.durationMs} ms` : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      <Timestamp iso={delivery.createdAt} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      aria-label={`Redeliver ${delivery.eventId}`}
                      loading={redelivering === delivery.id}
                      onClick={() => onRedeliver(delivery)}
                    >
                      Redeliver
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {expanded &&
                  delivery.log.map((attempt) => (
                    <Table.Tr key={`${delivery.id}-${attempt.attempt}`} bg="var(--mantine-color-gray-light)">
                      <Table.Td colSpan={2}>
                        <Text size="xs">Attempt {attempt.attempt}</Text>
                      </Table.Td>
                      <Table.Td colSpan={2}>
                        <Text size="xs">
                          {outcome(attempt)} · {attempt.durationMs} ms
                        </Text>
                      </Table.Td>
                      <Table.Td colSpan={2}>
                        <Text size="xs">
                          <Timestamp iso={attempt.at} />
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
