import { Text } from '@mantine/core';
import { RunGantt, type GanttRow } from '../../../components/run-gantt';
import { formatMs, runPhases, timeByKind } from '../../../lib/run-phases';
import { useNow } from '../../../lib/use-now';
import type { PipelineRun } from '../api/pipeline-queries';
import type { StepStatusChanges } from '../api/use-pipeline-run-events';

/**
 * The pipeline run as a compact timeline: a bar per step with a segment per phase of its deployment run (the statuses
 * it entered, from the pipeline run's event stream), and the machine time apart from the time spent waiting for people.
 */
export function PipelineRunTimeline({ run, changes, live }: { run: PipelineRun; changes: StepStatusChanges; live: boolean }) {
  const now = useNow(live);
  const started = run.steps.filter((step) => step.deploymentRunId && changes[step.position]);
  const rows: GanttRow[] = started.map((step) => ({
    id: String(step.position),
    label: step.deploymentName,
    segments: runPhases(changes[step.position] ?? [], now).map((phase) => ({
      label: phase.label,
      kind: phase.kind,
      start: phase.start,
      end: phase.end,
    })),
  }));
  const phases = started.flatMap((step) => runPhases(changes[step.position] ?? [], now));
  if (phases.length === 0) return null;
  const totals = timeByKind(phases);

  return (
    <section aria-labelledby="run-timeline-heading">
      <Text fw={500} size="sm" id="run-timeline-heading" mb={4}>
        {`Timeline · machine time ${formatMs(totals.machine)} · waiting for people ${formatMs(totals.people)}`}
      </Text>
      <RunGantt label="Timeline of the steps" rows={rows} />
    </section>
  );
}
