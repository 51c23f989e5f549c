import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { isApiError, plainStatusTitle } from '../api/client';

interface ErrorAlertProps {
  error: unknown;
  /** What failed, in plain words (e.g. "Could not run the pipeline"); shown unless the server names the problem better. */
  title?: string;
  onRetry?: () => void;
}

/**
 * Titles that only name the HTTP status ("Conflict", "Precondition Failed") tell the user less than what they were
 * doing: those give way to the caller's title. A title of the server's own ("Account locked") is kept.
 */
const HTTP_PHRASE =
  /^(bad request|unauthorized|forbidden|not found|conflict|precondition failed|unprocessable (entity|content)|too many requests|internal server error|server error|service unavailable|one or more validation errors occurred\.?|one or more fields are invalid\.?|validation failed\.?)$/i;

/** The heading of a failed request: the server's own title, or else what the caller was doing, in plain words. */
function errorHeading(error: unknown, title: string | undefined): string {
  const fallback = title ?? (isApiError(error) ? plainStatusTitle(error.status) : 'Something went wrong');
  if (!isApiError(error) || HTTP_PHRASE.test(error.title)) return fallback;
  return error.problem.title?.trim() ? error.title : fallback;
}

/** Shows a failed request: what failed, the server's detail, and any field messages it lists. */
export function ErrorAlert({ error, title, onRetry }: ErrorAlertProps) {
  const apiError = isApiError(error) ? error : null;
  const heading = errorHeading(error, title);
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
