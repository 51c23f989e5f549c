import { Badge, Group, List, Text } from '@mantine/core';
import type { PipelineRunStep } from '../api/pipeline-queries';

type Plan = NonNullable<PipelineRunStep['plan']>;

const MAX_RESOURCES = 8;

/** What a plan would do: `+add ~change -destroy ±replace`, then the resources it touches. */
export function PlanSummary({ plan }: { plan: Plan }) {
  const label = `Plan: ${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy, ${plan.replace} to replace`;
  const shown = plan.resources.slice(0, MAX_RESOURCES);
  return (
    <div>
      <Group gap={6} role="group" aria-label={label}>
        <Text size="sm" fw={500} aria-hidden="true">
          Plan:
        </Text>
        <Badge color="green" variant="light" tt="none" aria-hidden="true">
          +{plan.add}
        </Badge>
        <Badge color="yellow" variant="light" tt="none" aria-hidden="true">
          ~{plan.change}
        </Badge>
        <Badge color="red" variant="light" tt="none" aria-hidden="true">
          -{plan.destroy}
        </Badge>
        <Badge color="grape" variant="light" tt="none" aria-hidden="true">
          ±{plan.replace}
        </Badge>
      </Group>
      {shown.length > 0 && (
        <List size="xs" mt={4} c="dimmed" aria-label="Planned resources">
          {shown.map((resource) => (
            <List.Item key={resource.address}>
              <Text span size="xs" ff="monospace">
                {resource.address}
              </Text>{' '}
              ({resource.action})
            </List.Item>
          ))}
          {plan.resources.length > shown.length && (
            <List.Item>and {plan.resources.length - shown.length} more</List.Item>
          )}
        </List>
      )}
    </div>
  );
}
