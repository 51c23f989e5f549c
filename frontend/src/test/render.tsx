import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { RouterProvider, createMemoryRouter, useLocation } from 'react-router';
import { theme } from '../app/theme';
import { queryDefaults } from '../lib/query-client';

interface RenderWithAppOptions extends Omit<RenderOptions, 'wrapper'> {
  /** The URL the page starts at, e.g. `/aws/projects?q=web`. */
  route?: string;
  /** The route pattern the element is mounted at, so `useParams` works, e.g. `/:provider/projects`. */
  path?: string;
}

/** The current location, rendered for assertions on URL state (search params). */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

/**
 * Renders UI as the app does — fresh QueryClient (no retries), Mantine, notifications — inside a memory
 * data router (as the app's browser router, so `useNavigation` works) with the element mounted at `path`.
 */
export function renderWithApp(ui: ReactElement, { route = '/', path = '*', ...options }: RenderWithAppOptions = {}) {
  const queryClient = new QueryClient({
    defaultOptions: {
      ...queryDefaults,
      queries: { ...queryDefaults.queries, retry: false, staleTime: 0 },
    },
  });
  const user = userEvent.setup();
  const router = createMemoryRouter(
    [
      {
        path,
        element: (
          <>
            {ui}
            <LocationProbe />
          </>
        ),
      },
    ],
    { initialEntries: [route] },
  );
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
