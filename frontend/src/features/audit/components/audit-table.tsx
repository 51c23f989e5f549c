import { Anchor, Code, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { Timestamp } from '../../../components/timestamp';
import type { AuditEvent } from '../api/audit-queries';
import { resourceHref } from './audit-model';

/** The resource by its name, linked to its page where it has one; its id where it is gone or nameless. */
function ResourceCell({ event }: { event: AuditEvent }) {
  const href = resourceHref(event);
  return (
    <>
      <Text size="xs" c="dimmed">
        {event.resourceType}
      </Text>
      {event.resourceName ? (
        href ? (
          <Anchor component={Link} to={href} size="sm">
            {event.resourceName}
          </Anchor>
        ) : (
          <Text size="sm">{event.resourceName}</Text>
        )
      ) : (
        event.resourceId && (
          <Text size="xs" c="dimmed" ff="monospace" title="No longer exists, or has no name">
            {event.resourceId}
          </Text>
        )
      )}
    </>
  );
}

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
                  <Timestamp iso={event.at} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{event.actor}</Text>
              </Table.Td>
              <Table.Td>
                <Code>{event.action}</Code>
              </Table.Td>
              <Table.Td>
                <ResourceCell event={event} />
              </Table.Td>
              <Table.Td>
                {/* In full: a comment, a reason or the old → new values are what the row is for. */}
                <Text size="sm" c={event.details ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
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
