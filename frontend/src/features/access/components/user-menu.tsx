import { Button, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate } from 'react-router';
import { LOGIN_PATH } from '../../../lib/login-redirect';
import { can, roleLabels } from '../api/permissions';
import { useLogout } from '../api/use-logout';
import { useMe } from '../api/use-me';
import { RoleBadge } from './role-badge';

/** The header's account menu: who is signed in with which role, their tokens, admin pages, sign out. */
export function UserMenu() {
  const { data: me } = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  if (!me) return null;

  const signOut = () =>
    logout.mutate(undefined, {
      onSuccess: async () => {
        // The sign-in page drops everything cached under this session.
        await navigate(LOGIN_PATH, { replace: true });
      },
      onError: (error) => notifications.show({ color: 'red', title: 'Could not sign out', message: error.message }),
    });

  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          px="xs"
          loading={logout.isPending}
          aria-label={`${me.displayName}, ${me.role ? roleLabels[me.role] : 'no role'}: account menu`}
        >
          {/* The role beside the name with a space between, so the visible text reads as the start of the label. */}
          {/* On a phone the role alone, for room; the name stays in the label. */}
          <Text span size="sm" fw={500} c="var(--mantine-color-text)" truncate maw={180} visibleFrom="sm">
            {me.displayName}
          </Text>{' '}
          <RoleBadge role={me.role} />
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{me.email}</Menu.Label>
        <Menu.Item component={Link} to="/tokens">
          API tokens
        </Menu.Item>
        {can(me.role, 'users.manage') && (
          <Menu.Item component={Link} to="/users">
            Users
          </Menu.Item>
        )}
        {can(me.role, 'audit.read') && (
          <Menu.Item component={Link} to="/audit">
            Audit log
          </Menu.Item>
        )}
        {can(me.role, 'webhooks.manage') && (
          <Menu.Item component={Link} to="/webhooks">
            Webhooks
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item color="red" onClick={signOut}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
