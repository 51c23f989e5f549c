import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { run } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { RunPage } from './run-page';

// The page opens the run's event stream; these tests need none of it.
class SilentEventSource {
  static readonly CLOSED = 2;
  readyState = 0;
  addEventListener() {}
  close() {}
}

beforeEach(() => vi.stubGlobal('EventSource', SilentEventSource));
afterEach(() => vi.unstubAllGlobals());

const finished = run({
  status: 'completed',
  startedAt: '2026-12-01T10:00:02Z',
  finishedAt: '2026-12-01T10:01:00Z',
  pipelineRun: { id: 'pr-7', number: 7, pipelineId: 'p1', pipelineName: 'Full Platform Rollout' },
  statusChanges: [
    { status: 'queued', at: '2026-12-01T10:00:00Z' },
    { status: 'initializing', at: '2026-12-01T10:00:02Z' },
    { status: 'planning', at: '2026-12-01T10:00:05Z' },
    { status: 'awaitingPlanApproval', at: '2026-12-01T10:00:15Z' },
    { status: 'awaitingApplyApproval', at: '2026-12-01T10:00:45Z' },
    { status: 'applying', at: '2026-12-01T10:00:50Z' },
    { status: 'completed', at: '2026-12-01T10:01:00Z' },
  ],
});

function renderPage(current = finished) {
  fakeFetch({ [`GET /api/v1/deployment-runs/${current.id}`]: () => json(current) });
  return renderWithApp(<RunPage />, { route: `/aws/runs/${current.id}`, path: '/:provider/runs/:runId' });
}

describe('RunPage context', () => {
  it('links back to the pipeline run it is part of', async () => {
    renderPage();

    const link = await screen.findByRole('link', { name: 'Run #7 of Full Platform Rollout' });
    expect(link).toHaveAttribute('href', '/aws/pipeline-runs/pr-7');
  });

  it('says nothing of a pipeline for a run triggered on its own', async () => {
    renderPage(run({ ...finished, pipelineRun: undefined }));

    await screen.findByRole('heading', { name: /orders-db/ });
    expect(screen.queryByRole('link', { name: /Run #/ })).toBeNull();
  });

  it('shows how long each phase took, machine time apart from waiting for people', async () => {
    renderPage();

    const durations = await screen.findByRole('region', { name: 'Durations' });
    expect(durations).toHaveTextContent('Machine time 23s · waiting for people 35s · queued 2s');
    const rows = within(within(durations).getByRole('table', { name: 'Phase durations' })).getAllByRole('row').slice(1);
    const cells = rows.map((row) => within(row).getAllByRole('cell'));
    expect(cells.map(([phase, , duration]) => `${phase!.textContent} ${duration!.textContent}`)).toEqual([
      'Queued 2s',
      'Init 3s',
      'Plan 10s',
      'Waiting for plan approval 30s',
      'Waiting for apply approval 5s',
      'Apply 10s',
    ]);
    expect(cells[1]![1]!.querySelector('time')).toHaveAttribute('dateTime', '2026-12-01T10:00:02.000Z');
  });
});
