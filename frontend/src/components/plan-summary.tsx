import { Badge, Group, List, Stack, Text, type MantineColor } from '@mantine/core';
import type { components } from '../api/schema';

type Plan = components['schemas']['PlanSummary'];

/** One colour and sign per planned action, the same on every page. */
const actions: readonly {
  action: string;
  label: string;
  sign: string;
  count: 'add' | 'change' | 'destroy' | 'replace';
  word: string;
  color: MantineColor;
}[] = [
  { action: 'create', label: 'Create', sign: '+', count: 'add', word: 'to add', color: 'green' },
  { action: 'update', label: 'Update', sign: '~', count: 'change', word: 'to change', color: 'yellow' },
  { action: 'delete', label: 'Delete', sign: '-', count: 'destroy', word: 'to destroy', color: 'red' },
  { action: 'replace', label: 'Replace', sign: '±', count: 'replace', word: 'to replace', color: 'orange' },
];

interface PlanSummaryProps {
  plan: Plan;
  /** At most this many resources are listed (then "and N more"); all of them when unset. */
  maxResources?: number;
  /** Only the counts, for where the resources are shown another way (the resource diff). */
  countsOnly?: boolean;
}

/** What a plan would do: `+2 to add ~1 to change …`, then the resources it touches, grouped by action. */
export function PlanSummary({ plan, maxResources, countsOnly = false }: PlanSummaryProps) {
  const label = actions.map(({ count, word }) => `${plan[count]} ${word}`).join(', ');
  const known = new Set(actions.map((a) => a.action));
  const groups = [
    ...actions.map(({ action, label: title, sign }) => ({
      key: action,
      title,
      name: `Resources to ${title.toLowerCase()}`,
      lines: plan.resources.filter((r) => r.action === action).map((r) => `${sign} ${r.address}`),
    })),
    {
      key: 'other',
      title: 'Other',
      name: 'Other resources',
      lines: plan.resources.filter((r) => !known.has(r.action)).map((r) => `${r.action} ${r.address}`),
    },
  ].filter((group) => group.lines.length > 0);

  // Cut the listing after maxResources lines, across groups, in action order.
  let room = maxResources ?? Infinity;
  const shown = groups.map((group) => {
    const lines = group.lines.slice(0, Math.max(0, room));
    room -= lines.length;
    return { ...group, total: group.lines.length, lines };
  });
  const hidden = plan.resources.length - shown.reduce((sum, group) => sum + group.lines.length, 0);

  const counts = (
    <Group gap={6} role="group" aria-label={`Plan: ${label}`}>
      {actions.map(({ count, sign, word, color }) => (
        <Badge key={count} color={color} variant="light" tt="none" fw={plan[count] > 0 ? 700 : 400}>
          {`${sign}${plan[count]} ${word}`}
        </Badge>
      ))}
    </Group>
  );
  if (countsOnly) return counts;

  return (
    <Stack gap="xs">
      {counts}
      {plan.resources.length === 0 ? (
        <Text size="sm" c="dimmed">
          No resource changes.
        </Text>
      ) : (
        shown
          .filter((group) => group.lines.length > 0)
          .map((group) => (
            <div key={group.key}>
              <Text size="sm" fw={600}>
                {`${group.title} (${group.total})`}
              </Text>
              <List size="sm" listStyleType="none" aria-label={group.name}>
                {group.lines.map((line) => (
                  <List.Item key={line}>
                    <Text span ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {line}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </div>
          ))
      )}
      {hidden > 0 && (
        <Text size="sm" c="dimmed">
          and {hidden} more
        </Text>
      )}
    </Stack>
  );
}
