import { notifications } from '@mantine/notifications';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import { deploymentKeys } from '../../deployments/api/deployment-queries';
import { pipelineKeys, type PipelineRun, type PipelineRunStep } from '../api/pipeline-queries';
import { FakeEventSource, noActions, pipelineRun, runStep } from '../test/pipeline-fixtures';
import { PipelineRunPage } from './pipeline-run-page';

const renderPage = () =>
  renderWithApp(<PipelineRunPage />, { route: '/aws/pipeline-runs/r1', path: '/:provider/pipeline-runs/:runId' });

const plan = {
  add: 2,
  change: 1,
  destroy: 0,
  replace: 0,
  resources: [
    { address: 'terraform_data.instance', action: 'create' },
    { address: 'terraform_data.admin_credentials', action: 'create' },
    { address: 'terraform_data.failure_switch[0]', action: 'update' },
  ],
};

const SHA = 'ab12cd34ef56'.padEnd(64, '0');

/** The step actions the server gives someone who may approve the plan. */
const mayApprovePlan = { ...noActions, approvePlan: true, cancel: true };
const mayApproveApply = { ...noActions, approveApply: true, cancel: true };

/** Step 1 done, step 2 waiting for its plan approval (which this caller may give), step 3 not started. */
function awaitingPlan(overrides: Partial<PipelineRun> = {}, stepActions: PipelineRunStep['actions'] = mayApprovePlan): PipelineRun {
  return pipelineRun({
    status: 'awaitingApproval',
    currentStepPosition: 2,
    steps: [
      runStep({
        position: 1,
        deploymentName: 'net',
        status: 'completed',
        deploymentRunId: 'dr1',
        deploymentRunStatus: 'completed',
        startedAt: '2026-11-22T10:00:01Z',
        finishedAt: '2026-11-22T10:00:09Z',
      }),
      runStep({
        position: 2,
        deploymentName: 'db',
        status: 'running',
        deploymentRunId: 'dr2',
        deploymentRunStatus: 'awaitingPlanApproval',
        startedAt: '2026-11-22T10:00:10Z',
        plan,
        planSha256: SHA,
        actions: stepActions,
      }),
      runStep({ position: 3, deploymentName: 'web', status: 'pending' }),
    ],
    ...overrides,
  });
}

describe('PipelineRunPage', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    notifications.clean();
    notifications.cleanQueue();
  });

  it('shows the run, its status and highlights the current step', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan()) });

    renderPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Run #3 of Platform rollout' })).toBeInTheDocument();
    expect(within(screen.getByRole('status', { name: 'Run status' })).getByText('Awaiting approval')).toBeInTheDocument();
    const current = screen.getByRole('listitem', { name: 'Step 2: db' });
    expect(current).toHaveAttribute('aria-current', 'step');
    expect(within(current).getByText('Current')).toBeInTheDocument();
    for (const other of ['Step 1: net', 'Step 3: web']) {
      const item = screen.getByRole('listitem', { name: other });
      expect(item).not.toHaveAttribute('aria-current');
      expect(within(item).queryByText('Current')).not.toBeInTheDocument();
    }
    expect(within(screen.getByRole('listitem', { name: 'Step 1: net' })).getByText('Completed')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Platform rollout/ })).toHaveAttribute('href', '/aws/pipelines/p1');
  });

  it('offers Approve Plan with the plan summary only on the step awaiting plan approval', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan()) });

    renderPage();

    const waiting = await screen.findByRole('listitem', { name: 'Step 2: db' });
    expect(within(waiting).getByRole('button', { name: 'Approve Plan' })).toBeInTheDocument();
    expect(within(waiting).queryByRole('button', { name: 'Approve Apply' })).not.toBeInTheDocument();
    expect(
      within(waiting).getByRole('group', { name: 'Plan: 2 to add, 1 to change, 0 to destroy, 0 to replace' }),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Approve Plan' })).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Approve Apply' })).not.toBeInTheDocument();
  });

  it('links every step that has a deployment run to its run page', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan()) });

    renderPage();

    const links = await screen.findAllByRole('link', { name: 'View run: plan, log, outputs' });
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/aws/runs/dr1', '/aws/runs/dr2']);
  });

  it('approves the plan of the waiting step, then offers Approve Apply', async () => {
    let run = awaitingPlan();
    const server = fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(run),
      'POST /api/v1/deployment-runs/dr2/approve-plan': () => {
        run = awaitingPlan();
        run.steps[1] = { ...run.steps[1]!, deploymentRunStatus: 'awaitingApplyApproval', actions: mayApproveApply };
        return json({ id: 'dr2', status: 'awaitingApplyApproval' });
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Approve Plan' }));

    await waitFor(() => expect(server.calls('POST /api/v1/deployment-runs/dr2/approve-plan')).toHaveLength(1));
    const waiting = screen.getByRole('listitem', { name: 'Step 2: db' });
    expect(await within(waiting).findByRole('button', { name: 'Approve Apply' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve Plan' })).not.toBeInTheDocument();
  });

  it('approves bound to the plan shown: its short hash beside the button, the full hash and the comment sent', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan()),
      'POST /api/v1/deployment-runs/dr2/approve-plan': () => json({ id: 'dr2', status: 'awaitingApplyApproval' }),
    });
    const { user } = renderPage();
    const waiting = await screen.findByRole('listitem', { name: 'Step 2: db' });

    expect(within(waiting).getByLabelText('Plan hash')).toHaveTextContent('ab12cd34ef56');
    await user.type(within(waiting).getByLabelText('Comment (optional)'), 'Looks right');
    await user.click(within(waiting).getByRole('button', { name: 'Approve Plan' }));

    await waitFor(() => expect(server.calls('POST /api/v1/deployment-runs/dr2/approve-plan')).toHaveLength(1));
    expect(server.calls('POST /api/v1/deployment-runs/dr2/approve-plan')[0]!.body).toEqual({ comment: 'Looks right', planSha256: SHA });
  });

  it('rejects the waiting step with the comment the dialog requires, bound to the plan shown', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan()),
      'POST /api/v1/deployment-runs/dr2/reject': () => json({ id: 'dr2', status: 'rejected' }),
    });
    const { user } = renderPage();
    const waiting = await screen.findByRole('listitem', { name: 'Step 2: db' });

    await user.click(within(waiting).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject' });
    await user.type(within(dialog).getByLabelText(/Why\?/), 'Wrong subnet');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));

    await waitFor(() => expect(server.calls('POST /api/v1/deployment-runs/dr2/reject')).toHaveLength(1));
    expect(server.calls('POST /api/v1/deployment-runs/dr2/reject')[0]!.body).toEqual({ comment: 'Wrong subnet', planSha256: SHA });
  });

  it('after approving a plan, moves focus to the next action (the same step’s Approve Apply)', async () => {
    let run = awaitingPlan();
    fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(run),
      'POST /api/v1/deployment-runs/dr2/approve-plan': () => {
        run = awaitingPlan();
        run.steps[1] = { ...run.steps[1]!, deploymentRunStatus: 'awaitingApplyApproval', actions: mayApproveApply };
        return json({ id: 'dr2', status: 'awaitingApplyApproval' });
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Approve Plan' }));

    const approveApply = await screen.findByRole('button', { name: 'Approve Apply' });
    await waitFor(() => expect(approveApply).toHaveFocus());
  });

  it('names the browser tab after the run and its pipeline', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(pipelineRun({ pipelineName: 'Full Platform Rollout — Prod' })) });

    renderPage();

    await screen.findByRole('heading', { level: 1, name: 'Run #3 of Full Platform Rollout — Prod' });
    expect(document.title).toBe('Run #3 · Full Platform Rollout — Prod · Amnify Deploy');
  });

  it("shows the 409's detail when an approval is refused", async () => {
    fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan()),
      'POST /api/v1/deployment-runs/dr2/approve-plan': () =>
        problem(409, { title: 'Conflict', detail: 'The run is not awaiting plan approval.' }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Approve Plan' }));

    const waiting = screen.getByRole('listitem', { name: 'Step 2: db' });
    expect(await within(waiting).findByText('The run is not awaiting plan approval.')).toBeInTheDocument();
  });

  it('refetches the run on each server-sent change and stops listening when the run ends', async () => {
    let run = pipelineRun();
    const server = fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(run) });

    renderPage();
    await screen.findByRole('heading', { level: 1, name: 'Run #3 of Platform rollout' });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.instances[0]!;
    expect(source.url).toBe('/api/v1/pipeline-runs/r1/events');
    const before = server.calls('GET /api/v1/pipeline-runs/r1').length;

    run = pipelineRun({
      status: 'completed',
      currentStepPosition: null,
      finishedAt: '2026-11-22T10:01:00Z',
      actions: { cancel: false, resume: false },
      steps: [
        runStep({ position: 1, deploymentName: 'net', status: 'completed' }),
        runStep({ position: 2, deploymentName: 'db', status: 'skipped' }),
      ],
    });
    source.emit('run', { status: 'completed', currentStepPosition: null, at: '2026-11-22T10:01:00Z' });

    await waitFor(() => expect(server.calls('GET /api/v1/pipeline-runs/r1').length).toBeGreaterThan(before));
    expect(await within(screen.getByRole('status', { name: 'Run status' })).findByText('Completed')).toBeInTheDocument();
    expect(screen.queryByText('Current')).not.toBeInTheDocument();
    expect(within(screen.getByRole('listitem', { name: 'Step 2: db' })).getByText('Skipped')).toBeInTheDocument();
    await waitFor(() => expect(source.closed).toBe(true));
    expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument();
  });

  it('on each change (an approval asked for too), marks the pipeline, its history and the deployments stale, so going back shows the new statuses', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(pipelineRun()) });
    const { queryClient } = renderPage();
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    // What the pipeline page and the deployments page cached before the run was opened.
    queryClient.setQueryData(pipelineKeys.detail('p1'), { pipeline: {}, etag: '"7"' });
    queryClient.setQueryData(pipelineKeys.runs('p1'), { pages: [], pageParams: [] });
    queryClient.setQueryData(deploymentKeys.detail('d-1'), {});

    FakeEventSource.instances[0]!.emit('approvalRequired', { gate: 'plan', deploymentRunId: 'dr-1', position: 1, approvers: { role: 'approver', excludedUserIds: [] } });

    await waitFor(() => expect(queryClient.getQueryState(pipelineKeys.detail('p1'))?.isInvalidated).toBe(true));
    expect(queryClient.getQueryState(pipelineKeys.runs('p1'))?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(deploymentKeys.detail('d-1'))?.isInvalidated).toBe(true);
  });

  it('cancels the run after confirmation', async () => {
    let run = pipelineRun();
    const server = fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(run),
      'POST /api/v1/pipeline-runs/r1/cancel': () => {
        run = pipelineRun({ status: 'cancelled', actions: { cancel: false, resume: false }, finishedAt: '2026-11-22T10:01:00Z' });
        return json(run);
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel run' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel run' }));

    await waitFor(() => expect(server.calls('POST /api/v1/pipeline-runs/r1/cancel')).toHaveLength(1));
    expect(await within(screen.getByRole('status', { name: 'Run status' })).findByText('Cancelled')).toBeInTheDocument();
  });

  it('cancels with the reason given, which the server keeps on the step and in the audit log', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(pipelineRun()),
      'POST /api/v1/pipeline-runs/r1/cancel': () => json(pipelineRun({ status: 'cancelled', actions: { cancel: false, resume: false } })),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel run' });
    const reason = within(dialog).getByRole('textbox', { name: 'Reason (optional)' });
    await waitFor(() => expect(reason).toHaveFocus());
    // One input event: typed key by key, the last keys were once lost during make test (cause not found).
    await user.paste('Release freeze');
    expect(reason).toHaveValue('Release freeze');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel run' }));

    await waitFor(() => expect(server.calls('POST /api/v1/pipeline-runs/r1/cancel')).toHaveLength(1));
    expect(server.calls('POST /api/v1/pipeline-runs/r1/cancel')[0]!.body).toEqual({ reason: 'Release freeze' });
  });

  it('cancels with the same dialog as a deployment run ("Keep running" / "Cancel run") and says who cancelled', async () => {
    let run = pipelineRun();
    fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () => json(run),
      'POST /api/v1/pipeline-runs/r1/cancel': () => {
        run = pipelineRun({
          status: 'cancelled',
          cancelledBy: 'carol@example.com',
          actions: { cancel: false, resume: false },
          finishedAt: '2026-11-22T10:01:00Z',
        });
        return json(run);
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel run' });
    expect(within(dialog).getByRole('button', { name: 'Keep running' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel run' }));

    expect(await screen.findByText(/cancelled by carol@example\.com/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveFocus());
  });

  it('offers Run again on a finished run: a new run of the pipeline, then opens it', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipeline-runs/r1': () =>
        json(pipelineRun({ status: 'completed', finishedAt: '2026-11-22T10:01:00Z', actions: { cancel: false, resume: false } })),
      'POST /api/v1/pipelines/p1/runs': () => json(pipelineRun({ id: 'r4', number: 4, status: 'queued' }), 202),
    });
    const { user, router } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Run again' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/aws/pipeline-runs/r4'));
    expect(server.calls('POST /api/v1/pipelines/p1/runs')).toHaveLength(1);
  });

  it('offers no Run again while the run is going', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(pipelineRun()) });

    renderPage();

    expect(await screen.findByRole('button', { name: 'Cancel run' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Run again' })).not.toBeInTheDocument();
  });

  it('says when the run does not exist', async () => {
    fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => problem(404, { title: 'Not found' }) });

    renderPage();

    expect(await screen.findByText('Pipeline run not found')).toBeInTheDocument();
  });

  describe('as the server decides for this caller', () => {
    const renderAs = (role: 'viewer' | 'operator' | 'approver' | 'admin') =>
      renderWithApp(<PipelineRunPage />, { route: '/aws/pipeline-runs/r1', path: '/:provider/pipeline-runs/:runId', role });

    it('a viewer follows the run but is offered neither cancel nor approve', async () => {
      fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan({ actions: { cancel: false, resume: false } }, noActions)) });

      renderAs('viewer');

      const waiting = await screen.findByRole('listitem', { name: 'Step 2: db' });
      expect(waiting).toHaveTextContent('Waits for an approver to approve the plan.');
      expect(screen.queryByRole('button', { name: /cancel|approve/i })).not.toBeInTheDocument();
    });

    it('an operator may cancel; instead of approving they are told the approver role is needed', async () => {
      const server = fakeFetch({
        'GET /api/v1/pipeline-runs/r1': () =>
          json(awaitingPlan({}, { ...noActions, cancel: true, blocked: { approvePlan: 'Needs the approver role' } })),
      });
      const { user } = renderAs('operator');

      expect(await screen.findByRole('button', { name: 'Cancel run' })).not.toHaveAttribute('aria-disabled');
      const waiting = screen.getByRole('listitem', { name: 'Step 2: db' });
      expect(within(waiting).getByText('Needs the approver role')).toBeInTheDocument();
      expect(waiting).toHaveTextContent('Waits for an approver to approve the plan.');
      expect(screen.queryByRole('button', { name: /approve/i })).not.toBeInTheDocument();

      await user.click(screen.getByText('Needs the approver role'));
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    });

    it('an approver may approve', async () => {
      fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan()) });

      renderAs('approver');

      expect(await screen.findByRole('button', { name: 'Approve Plan' })).not.toHaveAttribute('aria-disabled');
      expect(screen.getByRole('listitem', { name: 'Step 2: db' })).toHaveTextContent('Review the plan');
    });

    it('with four-eyes, the approver who triggered the run sees why instead of an Approve Apply the server would refuse', async () => {
      const run = awaitingPlan({}, {
        ...noActions,
        cancel: true,
        blocked: { approveApply: 'Another approver is needed: you triggered this run' },
      });
      run.steps[1] = { ...run.steps[1]!, deploymentRunStatus: 'awaitingApplyApproval' };
      const server = fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(run) });

      renderAs('approver');

      const waiting = await screen.findByRole('listitem', { name: 'Step 2: db' });
      expect(within(waiting).getByText('Another approver is needed: you triggered this run')).toBeInTheDocument();
      expect(waiting).toHaveTextContent('The plan is approved; waits for an approver to approve the apply.');
      expect(screen.queryByRole('button', { name: /approve/i })).not.toBeInTheDocument();
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    });

    it('the role alone offers nothing: an admin gets only the actions the server gives', async () => {
      fakeFetch({ 'GET /api/v1/pipeline-runs/r1': () => json(awaitingPlan({ actions: { cancel: false, resume: false } }, noActions)) });

      renderAs('admin');

      await screen.findByRole('listitem', { name: 'Step 2: db' });
      expect(screen.queryByRole('button', { name: /cancel|approve/i })).not.toBeInTheDocument();
    });
  });
});
