import { AppShell, Container } from '@mantine/core';
import { Outlet } from 'react-router';
import { AppHeader } from './app-header';
import { MAIN_ID, SkipLink } from './skip-link';

/** The shell of the pages that belong to no cloud provider: the start page, API tokens, users, audit log. */
export function AccountLayout() {
  return (
    <AppShell header={{ height: 60 }} padding="lg">
      <SkipLink />
      <AppHeader />
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        <Container size="xl" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
