import { AppShell, Box, Button, Center, Container, Loader, NavLink, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useLocation, useParams } from 'react-router';
import { EmptyState } from '../../components/empty-state';
import { ErrorAlert } from '../../components/error-alert';
import { providerQueries } from '../../features/providers/api/provider-queries';
import { ApprovalsBadge } from '../../features/approvals/components/approvals-badge';
import { ProviderSwitcher } from '../../features/providers/components/provider-switcher';
import { AppHeader } from './app-header';
import { sections } from './sections';
import { MAIN_ID, SkipLink } from './skip-link';

/** The shell of every `/:provider/...` page: header with the provider switcher and user menu, the provider's sidebar, the page. */
export function AppLayout() {
  const { provider = '' } = useParams();
  const { pathname } = useLocation();
  const providers = useQuery(providerQueries.list());
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure();
  // On a phone the header has room for the menu button, the inbox and the account only: the provider is picked in the menu.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });

  if (providers.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (providers.isError) {
    return (
      <Container size="sm" py="xl">
        <ErrorAlert error={providers.error} title="Could not load the cloud providers" onRetry={() => void providers.refetch()} />
      </Container>
    );
  }
  const current = providers.data.find((p) => p.id === provider);
  if (!current) {
    return (
      <Container size="sm" py="xl">
        <EmptyState
          title="Unknown cloud provider"
          description={`“${provider}” is not a cloud provider this server knows.`}
          action={
            <Button component={Link} to="/">
              Select a cloud provider
            </Button>
          }
        />
      </Container>
    );
  }

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <SkipLink />
      <AppHeader nav={{ opened: navOpened, toggle: toggleNav }}>
        <ApprovalsBadge provider={current.id} />
        {!phone && <ProviderSwitcher current={current.id} />}
      </AppHeader>

      <AppShell.Navbar p="sm" component="nav" aria-label={`${current.displayName} sections`}>
        {phone && (
          <Box mb="sm">
            <ProviderSwitcher current={current.id} />
          </Box>
        )}
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} px="sm" mb="xs">
          {current.displayName}
        </Text>
        {sections.map((section) => {
          const to = `/${current.id}/${section.path}`;
          const active = [section.path, ...(section.also ?? [])].some((path) => {
            const area = `/${current.id}/${path}`;
            return pathname === area || pathname.startsWith(`${area}/`);
          });
          return (
            <NavLink
              key={section.path}
              component={Link}
              to={to}
              label={section.label}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={closeNav}
            />
          );
        })}
      </AppShell.Navbar>

      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        {/* A new provider is a new page: reset page state such as search boxes. */}
        <div key={current.id}>
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
