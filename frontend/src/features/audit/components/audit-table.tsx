import { Code, Table, Text } from '@mantine/core';
import { formatDateTime } from '../../../lib/format';
import type { AuditEvent } from '../api/audit-queries';

export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Audit events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Resource</Table.Th>
            <Table.Th>Details</Table.Th>
            <Table.Th>Source IP</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(event.at)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{event.actor}</Text>
              </Table.Td>
              <Table.Td>
                <Code>{event.action}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{event.resourceType}</Text>
                {event.resourceId && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {event.resourceId}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={event.details ? undefined : 'dimmed'} lineClamp={3}>
                  {event.details || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" c={event.sourceIp ? undefined : 'dimmed'}>
                  {event.sourceIp || '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
