import { Stack, Table, Text } from '@mantine/core';
import { RunGantt } from '../../../components/run-gantt';
import { Timestamp } from '../../../components/timestamp';
import { formatMs, runPhases, timeByKind } from '../../../lib/run-phases';
import { useNow } from '../../../lib/use-now';
import { isFinalRunStatus, type DeploymentRun } from '../api/run-queries';

/** How long each phase took (init, plan, each wait for approval, apply), machine time and waiting for people apart. */
export function RunPhases({ run }: { run: DeploymentRun }) {
  const final = isFinalRunStatus(run.status);
  const now = useNow(!final);
  const phases = runPhases(run.statusChanges ?? [], now);
  if (phases.length === 0) return null;
  const totals = timeByKind(phases);

  return (
    <Stack gap="sm">
      <Text size="sm">
        {`Machine time ${formatMs(totals.machine)} · waiting for people ${formatMs(totals.people)}`}
        {totals.queue > 0 ? ` · queued ${formatMs(totals.queue)}` : ''}
      </Text>
      <RunGantt
        label="Phases"
        rows={[{ id: run.id, label: 'This run', segments: phases.map((p) => ({ label: p.label, kind: p.kind, start: p.start, end: p.end })) }]}
      />
      {/* Nothing in the table takes focus: where it scrolls (a narrow column), the region itself must. */}
      <Table.ScrollContainer minWidth={320} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
        <Table verticalSpacing={4} fz="sm" aria-label="Phase durations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Phase</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Duration</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {phases.map((phase, index) => (
              <Table.Tr key={index} data-phase={phase.status}>
                <Table.Td>{phase.label}</Table.Td>
                <Table.Td>
                  <Timestamp iso={new Date(phase.start).toISOString()} />
                </Table.Td>
                <Table.Td>{phase.running ? `${formatMs(phase.end - phase.start)} so far` : formatMs(phase.end - phase.start)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
