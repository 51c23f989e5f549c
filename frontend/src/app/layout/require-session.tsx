import { Center, Container, Loader } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { useMe } from '../../features/access/api/use-me';
import { loginHref } from '../../lib/login-redirect';

/** Around every page but the sign-in page: loads who is signed in, or sends the user to sign in first. */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      return <Navigate to={loginHref(location)} replace />;
    }
    return (
      <Container size="sm" py="xl">
        <ErrorAlert error={me.error} title="Could not check who is signed in" onRetry={() => void me.refetch()} />
      </Container>
    );
  }
  return <Outlet />;
}
