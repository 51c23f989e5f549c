import { Button, NativeSelect, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { StatusBadge } from '../../../components/status-badge';
import { formatDateTime } from '../../../lib/format';
import type { Role } from '../../access/api/me-queries';
import type { User } from '../api/user-queries';
import { roleOptions } from './role-options';

interface UsersTableProps {
  users: User[];
  /** The signed-in admin: they cannot demote or disable themselves here (and lock everybody out). */
  currentUserId: string | undefined;
  /** The user whose change is being saved. */
  savingId: string | null;
  onChangeRole: (user: User, role: Role) => void;
  onToggleDisabled: (user: User) => void;
}

export function UsersTable({ users, currentUserId, savingId, onChangeRole, onToggleDisabled }: UsersTableProps) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const self = user.id === currentUserId;
            const saving = savingId === user.id;
            return (
              <Table.Tr key={user.id}>
                <Table.Td>
                  <Text fw={500}>
                    {user.displayName}
                    {self && (
                      <Text span size="sm" c="dimmed">
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{user.email}</Text>
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Role of ${user.email}`}
                    data={roleOptions}
                    value={user.role}
                    disabled={self || saving}
                    title={self ? 'You cannot change your own role' : undefined}
                    onChange={(event) => onChangeRole(user, event.currentTarget.value as Role)}
                    size="xs"
                    w={140}
                  />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={user.disabled ? 'disabled' : 'active'} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDateTime(user.createdAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip label="You cannot disable yourself" disabled={!self}>
                    <Button
                      size="xs"
                      variant="subtle"
                      color={user.disabled ? undefined : 'red'}
                      aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
                      data-disabled={self || undefined}
                      aria-disabled={self || undefined}
                      loading={saving}
                      onClick={() => !self && onToggleDisabled(user)}
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
