import { Badge, Button, Code, Group, List, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert';
import { runQueries, type PlanSummary as Plan } from '../api/run-queries';

const actions = [
  { action: 'create', label: 'Create', sign: '+', count: 'add', word: 'to add', color: 'green' },
  { action: 'update', label: 'Update', sign: '~', count: 'change', word: 'to change', color: 'yellow' },
  { action: 'delete', label: 'Delete', sign: '-', count: 'destroy', word: 'to destroy', color: 'red' },
  { action: 'replace', label: 'Replace', sign: '±', count: 'replace', word: 'to replace', color: 'orange' },
] as const;

interface PlanSummaryProps {
  runId: string;
  plan: Plan;
}

/** The plan's counts, its resources grouped by action, and the full plan text on demand. */
export function PlanSummary({ runId, plan }: PlanSummaryProps) {
  const [showText, setShowText] = useState(false);
  const text = useQuery({ ...runQueries.plan(runId), enabled: showText });
  const known = new Set<string>(actions.map((a) => a.action));
  const other = plan.resources.filter((resource) => !known.has(resource.action));

  return (
    <Stack gap="sm">
      <Group gap="xs" aria-label="Plan counts">
        {actions.map(({ count, sign, word, color }) => (
          <Badge key={count} color={color} variant={plan[count] > 0 ? 'filled' : 'light'} tt="none" size="lg">
            {`${sign}${plan[count]} ${word}`}
          </Badge>
        ))}
      </Group>

      {plan.resources.length === 0 ? (
        <Text size="sm" c="dimmed">
          No resource changes.
        </Text>
      ) : (
        <Stack gap="xs">
          {actions.map(({ action, label, sign }) => {
            const resources = plan.resources.filter((resource) => resource.action === action);
            if (resources.length === 0) return null;
            return (
              <div key={action}>
                <Title order={3} size="h6">
                  {`${label} (${resources.length})`}
                </Title>
                <List size="sm" listStyleType="none" aria-label={`Resources to ${label.toLowerCase()}`}>
                  {resources.map((resource) => (
                    <List.Item key={resource.address}>
                      <Text span ff="monospace" size="sm">
                        {`${sign} ${resource.address}`}
                      </Text>
                    </List.Item>
                  ))}
                </List>
              </div>
            );
          })}
          {other.length > 0 && (
            <div>
              <Title order={3} size="h6">
                {`Other (${other.length})`}
              </Title>
              <List size="sm" listStyleType="none">
                {other.map((resource) => (
                  <List.Item key={resource.address}>
                    <Text span ff="monospace" size="sm">
                      {`${resource.action} ${resource.address}`}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </div>
          )}
        </Stack>
      )}

      <div>
        <Button
          size="xs"
          variant="default"
          onClick={() => setShowText((shown) => !shown)}
          loading={showText && text.isFetching && !text.data}
          aria-expanded={showText}
        >
          {showText ? 'Hide full plan' : 'Show full plan'}
        </Button>
      </div>
      {showText &&
        (text.isError ? (
          <ErrorAlert error={text.error} title="Could not load the plan" onRetry={() => void text.refetch()} />
        ) : text.data !== undefined ? (
          <ScrollArea.Autosize mah={480} type="auto">
            <Code block aria-label="Full plan">
              {text.data}
            </Code>
          </ScrollArea.Autosize>
        ) : null)}
    </Stack>
  );
}
