import { Button, Container, Group } from '@mantine/core';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { EmptyState } from '../components/empty-state';
import { ErrorAlert } from '../components/error-alert';

/** Shown when a page throws while rendering or its code cannot be loaded (e.g. after a new release). */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return <NotFound />;
  }
  return (
    <Container size="sm" py="xl">
      <ErrorAlert error={error} title="This page failed to load" />
      <Group mt="md">
        <Button onClick={() => window.location.reload()}>Reload</Button>
        <Button component={Link} to="/" variant="default">
          Go to the start page
        </Button>
      </Group>
    </Container>
  );
}

export function NotFound() {
  return (
    <EmptyState
      title="Page not found"
      description="There is nothing at this address."
      action={
        <Button component={Link} to="/">
          Go to the start page
        </Button>
      }
    />
  );
}
