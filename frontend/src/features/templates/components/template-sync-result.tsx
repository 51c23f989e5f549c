import { Alert, Badge, Code, Group, List, Stack, Text } from '@mantine/core';
import type { TemplateSyncResult } from '../api/template-queries';

interface TemplateSyncResultProps {
  result: TemplateSyncResult;
  onClose: () => void;
}

const counts = [
  { key: 'imported', label: 'Imported', color: 'green' },
  { key: 'updated', label: 'Updated', color: 'blue' },
  { key: 'unchanged', label: 'Unchanged', color: 'gray' },
  { key: 'removed', label: 'Removed', color: 'orange' },
  { key: 'rejected', label: 'Rejected', color: 'red' },
] as const;

/** What the last sync did: a count per outcome, and every rejected template with each of its reasons. */
export function TemplateSyncResultAlert({ result, onClose }: TemplateSyncResultProps) {
  const rejected = result.rejected;
  return (
    <Alert
      color={rejected.length > 0 ? 'orange' : 'green'}
      variant="light"
      title="Templates synced"
      withCloseButton
      closeButtonLabel="Dismiss the sync result"
      onClose={onClose}
      role="status"
    >
      <Stack gap="sm">
        <Group gap="xs" data-testid="sync-counts">
          {counts.map(({ key, label, color }) => (
            <Badge key={key} color={color} variant={result[key].length > 0 ? 'filled' : 'light'} tt="none">
              {`${label}: ${result[key].length}`}
            </Badge>
          ))}
        </Group>
        {rejected.length > 0 && (
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              Not imported — fix these template folders and sync again:
            </Text>
            <List size="sm" spacing="xs" aria-label="Rejected templates">
              {rejected.map((template) => (
                <List.Item key={template.path}>
                  <Code>{template.path}</Code>
                  <List size="sm" withPadding listStyleType="disc">
                    {template.reasons.map((reason) => (
                      <List.Item key={reason}>{reason}</List.Item>
                    ))}
                  </List>
                </List.Item>
              ))}
            </List>
          </Stack>
        )}
      </Stack>
    </Alert>
  );
}
