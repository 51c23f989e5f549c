import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import { FakeEventSource, pipelineRun, runStep } from '../test/pipeline-fixtures';
import { PipelineRunPage } from './pipeline-run-page';

const renderPage = () =>
  renderWithApp(<PipelineRunPage />, { route: '/aws/pipeline-runs/r1', path: '/:provider/pipeline-runs/:runId' });

const failed = pipelineRun({
  status: 'failed',
  finishedAt: '2026-11-22T10:05:00Z',
  currentStepPosition: 2,
  actions: { cancel: false, resume: true },
  steps: [
    runStep({ position: 1, deploymentName: 'net', status: 'completed', deploymentRunId: 'dr1', deploymentRunStatus: 'completed' }),
    runStep({
      position: 2,
      deploymentName: 'db',
      status: 'failed',
      error: "Step 2 ('db') takes vpc_id from output 'vpc_id' of step 1 ('net'), but 'net' has no output 'vpc_id' in its current state.",
      inputs: [{ variable: 'vpc_id', fromPosition: 1, fromDeploymentId: 'd-1', fromDeploymentName: 'net', output: 'vpc_id' }],
    }),
    runStep({ position: 3, deploymentName: 'web', status: 'notRun' }),
  ],
});

describe('PipelineRunPage: resume and destroy', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });

  it('offers Resume from the failed step, saying what is skipped and what runs again, and opens the new run', async () => {
    const resumed = pipelineRun({ id: 'r2', number: 4, status: 'running', resumedFromRunId: 'r1', steps: failed.steps });
    const fetch = fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(failed),
      'POST /api/v1/pipeline-runs/r1/resume': () => json(resumed, 202),
      'GET /api/v1/pipeline-runs/r2': () => json(resumed),
      'GET /api/v1/pipelines/p1/runs': () => json({ items: [], nextCursor: null }),
      'GET /api/v1/pipelines/p1': () => json({}),
    });
    renderPage();

    const step = await screen.findByRole('listitem', { name: 'Step 2: db' });
    expect(within(step).getByText(/has no output 'vpc_id'/)).toBeInTheDocument();
    expect(within(step).getByRole('list', { name: 'Inputs of db' })).toHaveTextContent('vpc_id ← net.vpc_id (step 1)');

    await userEvent.click(screen.getByRole('button', { name: 'Resume from step 2' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resume run #3' });
    expect(within(dialog).getByRole('list', { name: 'Steps skipped' })).toHaveTextContent('Step 1: net');
    expect(within(dialog).getByRole('list', { name: 'Steps run again' })).toHaveTextContent('Step 2: dbStep 3: web');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Resume from step 2' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Run #4 of Platform rollout' }, { timeout: 5_000 })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Resumes an earlier run' })).toHaveAttribute('href', '/aws/pipeline-runs/r1');
    expect(fetch.calls('POST /api/v1/pipeline-runs/r1/resume')[0]!.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it('offers no resume when the server says no', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json({ ...failed, actions: { cancel: false, resume: false } }) });
    renderPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Run #3 of Platform rollout' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Resume/ })).not.toBeInTheDocument();
  });

  it('shows a destroy with its direction and why steps were skipped', async () => {
    fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () =>
        json(
          pipelineRun({
            operation: 'destroy',
            steps: [
              runStep({ position: 1, deploymentName: 'web', status: 'skipped', skipReason: 'nothingToDestroy' }),
              runStep({ position: 2, deploymentName: 'db', status: 'skipped', skipReason: 'completedInEarlierRun', deploymentRunId: 'dr9' }),
              runStep({ position: 3, deploymentName: 'net', status: 'running' }),
            ],
          }),
        ),
    });
    renderPage();

    expect(await screen.findByText('Destroy · reverse order (last step first)')).toBeInTheDocument();
    expect(within(screen.getByRole('listitem', { name: 'Step 1: web' })).getByText(/Nothing to destroy/)).toBeInTheDocument();
    expect(
      within(screen.getByRole('listitem', { name: 'Step 2: db' })).getByText('Completed in the run this one resumes: not run again.'),
    ).toBeInTheDocument();
  });
});
