import { Button, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { ForbiddenState } from '../../../components/forbidden-state';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useCan } from '../../access/api/permissions';
import { useMe } from '../../access/api/use-me';
import { userQueries, type User } from '../api/user-queries';
import { useUpdateUser, type UpdateUserBody } from '../api/use-update-user';
import { AddUserModal } from '../components/add-user-modal';
import { UsersTable } from '../components/users-table';

/** `/users` (admin): who may sign in, with which role. */
export function UsersPage() {
  const can = useCan();
  if (!can('users.manage').allowed) return <ForbiddenState role="admin" />;
  return <Users />;
}

function Users() {
  const { data: me } = useMe();
  const users = useInfiniteQuery(userQueries.list());
  const updateUser = useUpdateUser();
  const [adding, setAdding] = useState(false);
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];

  const update = (user: User, body: UpdateUserBody, done: string) =>
    updateUser.mutate(
      { id: user.id, body },
      {
        onSuccess: (saved) => notifications.show({ color: 'green', title: done, message: `${saved.displayName} (${saved.email})` }),
        onError: (error) =>
          notifications.show({ color: 'red', title: `Could not change ${user.email}`, message: error.message }),
      },
    );

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who may sign in, and their role."
        actions={<Button onClick={() => setAdding(true)}>Add user</Button>}
      />
      <Stack>
        {users.isPending ? (
          <TableSkeleton label="Loading users" />
        ) : users.isError && items.length === 0 ? (
          <ErrorAlert error={users.error} title="Could not load users" onRetry={() => void users.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No users" description="Add the people who should sign in." />
        ) : (
          <>
            <UsersTable
              users={items}
              currentUserId={me?.id}
              savingId={updateUser.isPending ? (updateUser.variables?.id ?? null) : null}
              onChangeRole={(user, role) => update(user, { role }, 'Role changed')}
              onToggleDisabled={(user) =>
                update(user, { disabled: !user.disabled }, user.disabled ? 'User enabled' : 'User disabled')
              }
            />
            {users.isFetchNextPageError && <ErrorAlert error={users.error} title="Could not load more users" />}
            <LoadMore hasMore={users.hasNextPage} loading={users.isFetchingNextPage} onLoadMore={() => void users.fetchNextPage()} />
          </>
        )}
      </Stack>
      <AddUserModal opened={adding} onClose={() => setAdding(false)} />
    </>
  );
}
