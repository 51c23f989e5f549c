import { Text, Timeline } from '@mantine/core';
import type { DeploymentRun } from '../api/run-queries';
import { timelineSteps, type TimelineStepState } from './run-timeline-model';

const colors: Record<TimelineStepState, string | undefined> = {
  done: 'green',
  current: 'blue',
  upcoming: undefined,
  skipped: 'gray',
  failed: 'red',
  cancelled: 'orange',
};

export function RunTimeline({ run }: { run: DeploymentRun }) {
  const steps = timelineSteps(run);
  const lastReached = steps.reduce((last, step, index) => (step.state === 'upcoming' ? last : index), 0);
  return (
    <Timeline active={lastReached} bulletSize={18} lineWidth={2} aria-label="Run progress">
      {steps.map((step) => (
        <Timeline.Item
          key={step.key}
          title={step.title}
          color={colors[step.state]}
          lineVariant={step.state === 'skipped' ? 'dashed' : 'solid'}
          aria-current={step.state === 'current' ? 'step' : undefined}
          data-state={step.state}
        >
          {step.detail && (
            <Text size="xs" c="dimmed">
              {step.detail}
            </Text>
          )}
          {step.state === 'current' && !step.key.endsWith('approval') && (
            <Text size="xs" c="blue">
              In progress
            </Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
