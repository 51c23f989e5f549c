import { Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { RunGantt, type GanttRow } from '../../../components/run-gantt';
import { formatMs, runPhases, timeByKind } from '../../../lib/run-phases';
import { useNow } from '../../../lib/use-now';
import { runQueries } from '../../deployment-runs/api/run-queries';
import type { PipelineRun } from '../api/pipeline-queries';

/**
 * The pipeline run as a compact timeline: a bar per step with a segment per phase of its deployment run (from that
 * run's status changes), and the machine time apart from the time spent waiting for people.
 */
export function PipelineRunTimeline({ run, live }: { run: PipelineRun; live: boolean }) {
  const now = useNow(live);
  const started = run.steps.filter((step) => step.deploymentRunId);
  const runs = useQueries({ queries: started.map((step) => runQueries.detail(step.deploymentRunId ?? '')) });
  const rows: GanttRow[] = started.map((step, index) => ({
    id: String(step.position),
    label: step.deploymentName,
    segments: runPhases(runs[index]?.data?.statusChanges ?? [], now).map((phase) => ({
      label: phase.label,
      kind: phase.kind,
      start: phase.start,
      end: phase.end,
    })),
  }));
  const phases = runs.flatMap((query) => runPhases(query.data?.statusChanges ?? [], now));
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
