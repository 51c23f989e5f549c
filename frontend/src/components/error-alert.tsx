import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { isApiError } from '../api/client';

interface ErrorAlertProps {
  error: unknown;
  /** Shown when the error carries no title of its own. */
  title?: string;
  onRetry?: () => void;
}

/** Shows a failed request: the problem's title and detail, and any field messages it lists. */
export function ErrorAlert({ error, title = 'Something went wrong', onRetry }: ErrorAlertProps) {
  const apiError = isApiError(error) ? error : null;
  const heading = apiError?.title ?? title;
  const detail = apiError ? apiError.detail : error instanceof Error ? error.message : undefined;
  const fieldMessages = apiError
    ? Object.entries(apiError.errors).flatMap(([field, messages]) =>
        messages.map((message) => (field ? `${field}: ${message}` : message)),
      )
    : [];

  return (
    <Alert color="red" variant="light" title={heading} role="alert">
      <Stack gap="xs">
        {detail && <Text size="sm">{detail}</Text>}
        {fieldMessages.length > 0 && (
          <List size="sm">
            {fieldMessages.map((message) => (
              <List.Item key={message}>{message}</List.Item>
            ))}
          </List>
        )}
        {onRetry && (
          <div>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          </div>
        )}
      </Stack>
    </Alert>
  );
}
