import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RunStatusChange } from '../../deployment-runs/api/run-queries';
import { renderWithApp } from '../../../test/render';
import { withStepEvent, type StepStatusChanges } from '../api/use-pipeline-run-events';
import { pipelineRun, runStep } from '../test/pipeline-fixtures';
import { PipelineRunTimeline } from './pipeline-run-timeline';

const changes = (start: number): RunStatusChange[] => [
  { status: 'queued', at: new Date(start).toISOString() },
  { status: 'initializing', at: new Date(start + 1_000).toISOString() },
  { status: 'planning', at: new Date(start + 3_000).toISOString() },
  { status: 'awaitingPlanApproval', at: new Date(start + 8_000).toISOString() },
  { status: 'cancelled', at: new Date(start + 20_000).toISOString() },
];

describe('PipelineRunTimeline', () => {
  it('draws a bar per started step with a segment per phase, and sums machine time and waiting apart', async () => {
    const t0 = Date.parse('2026-12-01T10:00:00Z');
    const current = pipelineRun({
      status: 'cancelled',
      steps: [
        runStep({ position: 1, deploymentName: 'net', deploymentRunId: 'r1' }),
        runStep({ position: 2, deploymentName: 'db', deploymentRunId: 'r2' }),
        runStep({ position: 3, deploymentName: 'app' }),
      ],
    });

    renderWithApp(<PipelineRunTimeline run={current} changes={{ 1: changes(t0), 2: changes(t0 + 20_000) }} live={false} />);

    expect(screen.getByText('Timeline · machine time 14s · waiting for people 24s')).toBeInTheDocument();
    const rows = document.querySelectorAll('[data-gantt-row]');
    expect([...rows].map((row) => row.getAttribute('data-gantt-row'))).toEqual(['1', '2']);
    expect([...rows[1]!.querySelectorAll('[data-kind]')].map((s) => s.getAttribute('title'))).toEqual([
      'Queued · 1s',
      'Init · 2s',
      'Plan · 5s',
      'Waiting for plan approval · 12s',
    ]);
    // The second step starts where the first ended, on the same scale.
    expect((rows[1]!.querySelector('[data-kind]') as HTMLElement).style.left).toBe('50%');
  });

  it('shows nothing before any step has started', () => {
    const { container } = renderWithApp(<PipelineRunTimeline run={pipelineRun({ steps: [] })} changes={{}} live={false} />);

    expect(container.querySelector('[data-gantt-row]')).toBeNull();
  });

  it('gathers each step’s phases from the stream’s step events, a new phase only when its run’s status changes', () => {
    const events = [
      { position: 1, status: 'running', deploymentRunStatus: 'queued', at: '2026-12-01T10:00:00Z' },
      { position: 1, status: 'running', deploymentRunStatus: 'initializing', at: '2026-12-01T10:00:01Z' },
      // The step changed, its run did not: no new phase.
      { position: 1, status: 'running', deploymentRunStatus: 'initializing', at: '2026-12-01T10:00:02Z' },
      { position: 2, status: 'pending', deploymentRunStatus: null, at: '2026-12-01T10:00:02Z' },
      'not an event',
    ];

    const gathered = events.reduce<StepStatusChanges>(withStepEvent, {});

    expect(gathered).toEqual({
      1: [
        { status: 'queued', at: '2026-12-01T10:00:00Z' },
        { status: 'initializing', at: '2026-12-01T10:00:01Z' },
      ],
    });
  });
});
