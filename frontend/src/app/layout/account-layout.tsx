import { AppShell, Container } from '@mantine/core';
import { Outlet } from 'react-router';
import { AppHeader } from './app-header';

/** The shell of the pages that belong to no cloud provider: the start page, API tokens, users, audit log. */
export function AccountLayout() {
  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <AppHeader />
      <AppShell.Main>
        <Container size="xl" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
