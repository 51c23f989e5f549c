import { Anchor, Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { Timestamp } from '../../../components/timestamp';
import type { Webhook } from '../api/webhook-queries';

interface WebhooksTableProps {
  webhooks: Webhook[];
  onDelete: (webhook: Webhook) => void;
}

export function WebhooksTable({ webhooks, onDelete }: WebhooksTableProps) {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Webhooks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>URL</Table.Th>
            <Table.Th>Events</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {webhooks.map((webhook) => (
            <Table.Tr key={webhook.id}>
              <Table.Td>
                <Anchor component={Link} to={`/webhooks/${webhook.id}`} ff="monospace" size="sm">
                  {webhook.url}
                </Anchor>
                {webhook.description && (
                  <Text size="xs" c="dimmed">
                    {webhook.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {webhook.eventTypes.length === 0 ? (
                    <Badge variant="outline" tt="none">
                      All events
                    </Badge>
                  ) : (
                    webhook.eventTypes.map((type) => (
                      <Badge key={type} variant="outline" tt="none">
                        {type}
                      </Badge>
                    ))
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Timestamp iso={webhook.createdAt} /> by {webhook.createdBy}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button component={Link} to={`/webhooks/${webhook.id}`} size="xs" variant="subtle">
                    Delivery log
                  </Button>
                  <Button size="xs" variant="subtle" color="red" aria-label={`Delete ${webhook.url}`} onClick={() => onDelete(webhook)}>
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
