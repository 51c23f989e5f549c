/** Who a phase of a run waits on: the queue (a free worker or the deployment's lock), the machine, or people. */
export type PhaseKind = 'queue' | 'machine' | 'people';

export interface RunPhase {
  status: string;
  label: string;
  kind: PhaseKind;
  start: number;
  /** When it ended; the time it was measured at (`now`) while it goes on. */
  end: number;
  running: boolean;
}

const PHASES: Record<string, { label: string; kind: PhaseKind }> = {
  queued: { label: 'Queued', kind: 'queue' },
  pending: { label: 'Waiting for the deployment', kind: 'queue' },
  initializing: { label: 'Init', kind: 'machine' },
  planning: { label: 'Plan', kind: 'machine' },
  awaitingPlanApproval: { label: 'Waiting for plan approval', kind: 'people' },
  awaitingApplyApproval: { label: 'Waiting for apply approval', kind: 'people' },
  applying: { label: 'Apply', kind: 'machine' },
  destroying: { label: 'Destroy', kind: 'machine' },
};

/**
 * A run's phases from the statuses it entered (`statusChanges`, oldest first): each lasts until the next change; the
 * last one, unless the run is final, until `now`. Final statuses (completed, failed…) start no phase.
 */
export function runPhases(changes: readonly { status: string; at: string }[], now: number): RunPhase[] {
  const phases: RunPhase[] = [];
  changes.forEach((change, index) => {
    const phase = PHASES[change.status];
    if (!phase) return;
    const next = changes[index + 1];
    const start = Date.parse(change.at);
    const end = next ? Date.parse(next.at) : now;
    phases.push({ status: change.status, ...phase, start, end: Math.max(start, end), running: !next });
  });
  return phases;
}

/** Milliseconds spent per kind: "machine time" and "waiting for people" are shown apart. */
export function timeByKind(phases: readonly RunPhase[]): Record<PhaseKind, number> {
  const totals: Record<PhaseKind, number> = { queue: 0, machine: 0, people: 0 };
  for (const phase of phases) totals[phase.kind] += phase.end - phase.start;
  return totals;
}

/** A duration in milliseconds as `1h 02m`, `3m 05s` or `12s`. */
export function formatMs(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
