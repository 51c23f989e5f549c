import { describe, expect, it } from 'vitest';
import { formatMs, runPhases, timeByKind } from './run-phases';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, seconds)).toISOString();

describe('run phases', () => {
  const changes = [
    { status: 'queued', at: at(0) },
    { status: 'initializing', at: at(2) },
    { status: 'planning', at: at(5) },
    { status: 'awaitingPlanApproval', at: at(15) },
    { status: 'awaitingApplyApproval', at: at(45) },
    { status: 'applying', at: at(50) },
    { status: 'completed', at: at(58) },
  ];

  it('makes each status a phase lasting until the next, with no phase for the final status', () => {
    const phases = runPhases(changes, Date.parse(at(99)));

    expect(phases.map((p) => [p.label, (p.end - p.start) / 1000, p.running])).toEqual([
      ['Queued', 2, false],
      ['Init', 3, false],
      ['Plan', 10, false],
      ['Waiting for plan approval', 30, false],
      ['Waiting for apply approval', 5, false],
      ['Apply', 8, false],
    ]);
  });

  it('counts machine time apart from waiting for people and the queue', () => {
    expect(timeByKind(runPhases(changes, 0))).toEqual({ queue: 2_000, machine: 21_000, people: 35_000 });
  });

  it('runs the current phase of an unfinished run until now', () => {
    const phases = runPhases(changes.slice(0, 4), Date.parse(at(20)));

    expect(phases.at(-1)).toMatchObject({ label: 'Waiting for plan approval', running: true, end: Date.parse(at(20)) });
  });

  it('writes durations short', () => {
    expect([formatMs(4_400), formatMs(125_000), formatMs(3_720_000)]).toEqual(['4s', '2m 05s', '1h 02m']);
  });
});
