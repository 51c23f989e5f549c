import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { RouterProvider, createMemoryRouter, useLocation, type RouteObject } from 'react-router';
import { theme } from '../app/theme';
import { accessKeys, type Me, type Role } from '../features/access/api/me-queries';
import { redirectToLogin } from '../lib/login-redirect';
import { createQueryClient, queryDefaults } from '../lib/query-client';
import { me as meFixture } from './fixtures';

interface RenderWithAppOptions extends Omit<RenderOptions, 'wrapper'> {
  /** The URL the page starts at, e.g. `/aws/projects?q=web`. */
  route?: string;
  /** The route pattern the element is mounted at, so `useParams` works, e.g. `/:provider/projects`. */
  path?: string;
  /** The signed-in user's role. @default 'admin' */
  role?: Role;
  /**
   * The signed-in user (overrides `role`), or `null` for nobody: then nothing is cached and `GET /api/v1/me`
   * goes to the fake fetch like any request.
   */
  me?: Me | null;
}

/** The current location, rendered for assertions on URL state (search params). */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

/**
 * Renders UI as the app does — fresh QueryClient (no retries; a 401 goes to `/login?next=…`), Mantine,
 * notifications — inside a memory data router (as the app's browser router, so `useNavigation` works) with the
 * element mounted at `path`, as a signed-in admin unless `role` or `me` says otherwise. `/login` and URLs that `path`
 * does not match render only the location probe, so navigation away (e.g. to the sign-in page) can be asserted.
 */
export function renderWithApp(
  ui: ReactElement,
  { route = '/', path = '*', role = 'admin', me, ...options }: RenderWithAppOptions = {},
) {
  const router = createMemoryRouter(routes(ui, path), { initialEntries: [route] });
  const queryClient = createQueryClient({
    defaultOptions: {
      ...queryDefaults,
      queries: { ...queryDefaults.queries, retry: false, staleTime: 0 },
    },
    onUnauthorized: () => redirectToLogin(router),
  });
  const signedIn = me === undefined ? meFixture({ role }) : me;
  if (signedIn) queryClient.setQueryData(accessKeys.me, signedIn);
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme}>
        <Notifications />
        <RouterProvider router={router} />
      </MantineProvider>
    </QueryClientProvider>,
    options,
  );
  return { ...result, user, queryClient, router };
}

function routes(ui: ReactElement, path: string): RouteObject[] {
  const page: RouteObject = {
    path,
    element: (
      <>
        {ui}
        <LocationProbe />
      </>
    ),
  };
  const elsewhere: RouteObject[] = [
    // The sign-in page, where a 401 or signing out leads, even when `path` would match it (e.g. `/:provider/*`).
    { path: '/login', element: <LocationProbe /> },
    { path: '*', element: <LocationProbe /> },
  ];
  return [page, ...elsewhere.filter((route) => route.path !== path)];
}
