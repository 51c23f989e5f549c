import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { createQueryClient } from '../lib/query-client';
import { redirectToLogin } from '../lib/login-redirect';
import { AppProviders } from './providers';
import { createAppRouter } from './router';

export function App() {
  const [router] = useState(createAppRouter);
  // Any 401 means the session is gone: to the sign-in page, which brings the user back here afterwards.
  const [queryClient] = useState(() => createQueryClient({ onUnauthorized: () => redirectToLogin(router) }));
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
