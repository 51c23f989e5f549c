import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import type { RunStatusChange } from '../../deployment-runs/api/run-queries';
import { run } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
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
    fakeFetch({
      'GET /api/v1/deployment-runs/r1': () => json(run({ id: 'r1', status: 'cancelled', statusChanges: changes(t0) })),
      'GET /api/v1/deployment-runs/r2': () => json(run({ id: 'r2', status: 'cancelled', statusChanges: changes(t0 + 20_000) })),
    });
    const current = pipelineRun({
      status: 'cancelled',
      steps: [
        runStep({ position: 1, deploymentName: 'net', deploymentRunId: 'r1' }),
        runStep({ position: 2, deploymentName: 'db', deploymentRunId: 'r2' }),
        runStep({ position: 3, deploymentName: 'app' }),
      ],
    });

    renderWithApp(<PipelineRunTimeline run={current} live={false} />);

    expect(await screen.findByText('Timeline · machine time 14s · waiting for people 24s')).toBeInTheDocument();
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
    fakeFetch({});
    const { container } = renderWithApp(<PipelineRunTimeline run={pipelineRun({ steps: [] })} live={false} />);

    expect(container.querySelector('[data-gantt-row]')).toBeNull();
  });
});
