import { Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { Guarded, type GuardPermission } from '../../../components/guarded';
import { formatDateTime } from '../../../lib/format';
import type { CloudEnvironment } from '../api/cloud-environment-queries';
import { fieldsFor } from './provider-fields';

interface CloudEnvironmentsTableProps {
  provider: string;
  environments: CloudEnvironment[];
  /** Whether the user may edit and delete cloud environments. */
  editing: GuardPermission;
  onEdit: (environment: CloudEnvironment) => void;
  onDelete: (environment: CloudEnvironment) => void;
  /** Opens the environment's approval policy. */
  onPolicy?: (environment: CloudEnvironment) => void;
}

export function CloudEnvironmentsTable({ provider, environments, editing, onEdit, onDelete, onPolicy }: CloudEnvironmentsTableProps) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Cloud environments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Region</Table.Th>
            <Table.Th>{fieldsFor(provider).accountLabel}</Table.Th>
            <Table.Th>Credentials</Table.Th>
            <Table.Th>Updated</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {environments.map((environment) => (
            <Table.Tr key={environment.id}>
              <Table.Td>
                <Text fw={500}>{environment.name}</Text>
              </Table.Td>
              <Table.Td>{environment.region}</Table.Td>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {environment.accountId}
                </Text>
              </Table.Td>
              <Table.Td>
                {environment.credentialKeys.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    None
                  </Text>
                ) : (
                  <Group gap={4}>
                    {environment.credentialKeys.map((key) => (
                      <Badge key={key} variant="light" color="green" tt="none" title={`${key} is set`}>
                        <Text span ff="monospace" size="xs">
                          {key}
                        </Text>
                        : set
                      </Badge>
                    ))}
                  </Group>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(environment.updatedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  {onPolicy && (
                    <Guarded permission={editing}>
                      <Button
                        size="xs"
                        variant="subtle"
                        aria-label={`Approvals of ${environment.name}`}
                        onClick={() => onPolicy(environment)}
                      >
                        Approvals
                      </Button>
                    </Guarded>
                  )}
                  <Guarded permission={editing}>
                    <Button size="xs" variant="subtle" aria-label={`Edit ${environment.name}`} onClick={() => onEdit(environment)}>
                      Edit
                    </Button>
                  </Guarded>
                  <Guarded permission={editing}>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Delete ${environment.name}`}
                      onClick={() => onDelete(environment)}
                    >
                      Delete
                    </Button>
                  </Guarded>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
