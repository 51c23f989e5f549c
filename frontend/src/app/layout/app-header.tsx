import { Anchor, AppShell, Burger, Group, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useNavigation } from 'react-router';
import { UserMenu } from '../../features/access/components/user-menu';

interface AppHeaderProps {
  /** The sidebar toggle for small screens, when the page has a sidebar. */
  nav?: { opened: boolean; toggle: () => void };
  /** Controls left of the user menu, e.g. the cloud-provider switcher. */
  children?: ReactNode;
}

/** The header of every signed-in page: product name (to the start page), page-loading spinner, user menu. */
export function AppHeader({ nav, children }: AppHeaderProps) {
  const navigation = useNavigation();
  return (
    <AppShell.Header>
      <Group h="100%" px="md" justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          {nav && (
            <Burger opened={nav.opened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
          )}
          <Anchor component={Link} to="/" underline="never" c="inherit" fw={700} size="lg">
            Amnify Deploy
          </Anchor>
          {navigation.state === 'loading' && <Loader size="xs" aria-label="Loading page" />}
        </Group>
        <Group gap="sm" wrap="nowrap">
          {children}
          <UserMenu />
        </Group>
      </Group>
    </AppShell.Header>
  );
}
