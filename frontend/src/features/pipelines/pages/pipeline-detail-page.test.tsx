import { screen, waitFor, within } from '@testing-library/react';
import { notifications } from '@mantine/notifications';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import type { Pipeline } from '../api/pipeline-queries';
import { STALE_ORDER_MESSAGE } from '../api/use-move-step';
import { FakeEventSource, deployment, pipeline, pipelineRun, runStep, step } from '../test/pipeline-fixtures';
import { PipelineDetailPage } from './pipeline-detail-page';

const renderPage = () =>
  renderWithApp(<PipelineDetailPage />, { route: '/aws/pipelines/p1', path: '/:provider/pipelines/:pipelineId' });

const withEtag = (body: Pipeline, status = 200) => json(body, status, { ETag: `"${body.version}"` });
const noRuns = () => json({ items: [], nextCursor: null });

/** The deployment names of the step list, top to bottom. */
async function shownOrder() {
  const list = await screen.findByRole('list', { name: 'Pipeline steps' });
  return within(list)
    .getAllByRole('listitem')
    .map((item) => item.getAttribute('aria-label'));
}

/** The pipeline's steps in the order a PUT body lists. */
function reorder(of: Pipeline, body: unknown) {
  const { stepIds } = body as { stepIds: string[] };
  return stepIds.map((id, index) => ({ ...of.steps.find((s) => s.id === id)!, position: index + 1 }));
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PipelineDetailPage', () => {
  // Notifications live in a module-level store: start each test without the previous ones.
  afterEach(() => {
    notifications.clean();
    notifications.cleanQueue();
  });

  it('shows the steps in order, each with its template, status and a link to the deployment', async () => {
    fakeFetch({ 'GET /api/v1/pipelines/p1': () => withEtag(pipeline()), 'GET /api/v1/pipelines/p1/runs': noRuns });

    renderPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Platform rollout' })).toBeInTheDocument();
    expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: db', 'Step 3: web']);
    const first = screen.getByRole('listitem', { name: 'Step 1: net' });
    expect(within(first).getByRole('link', { name: 'net' })).toHaveAttribute('href', '/aws/deployments/d-s1');
    expect(within(first).getByText('VPC network')).toBeInTheDocument();
    expect(within(first).getByText('Never deployed')).toBeInTheDocument();
    expect(within(first).getByRole('button', { name: 'Drag net' })).toBeInTheDocument();
    expect(await screen.findByText(/No runs yet/)).toBeInTheDocument();
  });

  it('disables the up arrow of the first step and the down arrow of the last', async () => {
    fakeFetch({ 'GET /api/v1/pipelines/p1': () => withEtag(pipeline()), 'GET /api/v1/pipelines/p1/runs': noRuns });

    renderPage();

    expect(await screen.findByRole('button', { name: 'Move net up' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Move net down' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Move db up' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Move db down' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Move web up' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Move web down' })).toBeDisabled();
  });

  it('invites to add deployments when the pipeline is empty', async () => {
    fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline({ steps: [] })),
      'GET /api/v1/pipelines/p1/runs': noRuns,
    });

    renderPage();

    expect(await screen.findByText('This pipeline is empty')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add your first deployment' })).toBeInTheDocument();
  });

  it('moves a step at once, then saves the full order with If-Match and keeps the new ETag', async () => {
    const answer = deferred<Response>();
    let puts = 0;
    const saved = pipeline({
      version: 8,
      steps: [
        step({ id: 's1', position: 1, deploymentName: 'net' }),
        step({ id: 's3', position: 2, deploymentName: 'web' }),
        step({ id: 's2', position: 3, deploymentName: 'db' }),
      ],
    });
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'PUT /api/v1/pipelines/p1/steps/order': ({ body }) =>
        ++puts === 1 ? answer.promise : withEtag({ ...saved, version: 9, steps: reorder(saved, body) }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Move web up' }));

    // Optimistic: the new order is shown before the server answers.
    expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: web', 'Step 3: db']);
    await waitFor(() => expect(server.calls('PUT /api/v1/pipelines/p1/steps/order')).toHaveLength(1));
    const put = server.calls('PUT /api/v1/pipelines/p1/steps/order')[0]!;
    expect(put.body).toEqual({ stepIds: ['s1', 's3', 's2'] });
    expect(put.headers.get('If-Match')).toBe('"7"');

    answer.resolve(withEtag(saved));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Move web up' })).not.toHaveAttribute('aria-disabled'));
    expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: web', 'Step 3: db']);

    // The next move sends the ETag of the last answer.
    await user.click(screen.getByRole('button', { name: 'Move net down' }));
    await waitFor(() => expect(server.calls('PUT /api/v1/pipelines/p1/steps/order')).toHaveLength(2));
    const second = server.calls('PUT /api/v1/pipelines/p1/steps/order')[1]!;
    expect(second.headers.get('If-Match')).toBe('"8"');
    expect(second.body).toEqual({ stepIds: ['s3', 's1', 's2'] });
    expect(await shownOrder()).toEqual(['Step 1: web', 'Step 2: net', 'Step 3: db']);
  });

  it('puts the order back and says so when someone else changed the pipeline (412)', async () => {
    const answer = deferred<Response>();
    let latest = pipeline();
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(latest),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'PUT /api/v1/pipelines/p1/steps/order': () => answer.promise,
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Move db down' }));
    expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: web', 'Step 3: db']);

    // Meanwhile someone else removed "web" and saved version 9.
    latest = pipeline({
      version: 9,
      steps: [step({ id: 's2', position: 1, deploymentName: 'db' }), step({ id: 's1', position: 2, deploymentName: 'net' })],
    });
    answer.resolve(problem(412, { title: 'Precondition Failed', detail: 'The pipeline has changed since version 7.' }));

    expect(await screen.findByText(STALE_ORDER_MESSAGE)).toBeInTheDocument();
    // Rolled back, then the latest order from the server.
    await waitFor(async () => expect(await shownOrder()).toEqual(['Step 1: db', 'Step 2: net']));
    expect(server.calls('GET /api/v1/pipelines/p1').length).toBeGreaterThanOrEqual(2);
  });

  it('rolls back to the previous order when saving fails for another reason', async () => {
    fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'PUT /api/v1/pipelines/p1/steps/order': () => problem(500, { title: 'Server error', detail: 'Try later.' }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Move net down' }));

    expect(await screen.findByText('Could not save the new order')).toBeInTheDocument();
    await waitFor(async () => expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: db', 'Step 3: web']));
  });

  it('adds a deployment from the dialog, not offering those already in the pipeline', async () => {
    let current = pipeline({ steps: [step({ id: 's1', position: 1, deploymentName: 'net', deploymentId: 'd-net' })] });
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(current),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'GET /api/v1/deployments': ({ url }) => {
        const all = [
          deployment({ id: 'd-net', name: 'net' }),
          deployment({ id: 'd-db', name: 'db', templateName: 'RDS PostgreSQL' }),
          deployment({ id: 'd-web', name: 'web', templateName: 'ECS service' }),
        ];
        const q = url.searchParams.get('q') ?? '';
        return json({ items: all.filter((d) => d.name.includes(q)), nextCursor: null });
      },
      'POST /api/v1/pipelines/p1/steps': ({ body }) => {
        const { deploymentId } = body as { deploymentId: string };
        current = {
          ...current,
          version: current.version + 1,
          steps: [
            ...current.steps,
            step({ id: 's-new', position: current.steps.length + 1, deploymentName: 'db', deploymentId }),
          ],
        };
        return withEtag(current, 201);
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Add Deployment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add deployment' });
    const offered = await within(dialog).findByRole('list', { name: 'Deployments to add' });
    expect(within(offered).queryByText('net')).not.toBeInTheDocument();
    expect(within(offered).getByText('web')).toBeInTheDocument();

    await user.type(within(dialog).getByRole('searchbox', { name: 'Search deployments' }), 'db');
    await waitFor(() =>
      expect(server.requests.some((r) => r.url.pathname === '/api/v1/deployments' && r.url.searchParams.get('q') === 'db')).toBe(true),
    );
    await waitFor(() => expect(within(dialog).queryByText('web')).not.toBeInTheDocument());
    expect(server.requests.find((r) => r.url.pathname === '/api/v1/deployments')!.url.searchParams.get('provider')).toBe('aws');

    await user.click(within(dialog).getByRole('button', { name: 'Add db' }));

    await waitFor(() => expect(server.calls('POST /api/v1/pipelines/p1/steps')).toHaveLength(1));
    expect(server.calls('POST /api/v1/pipelines/p1/steps')[0]!.body).toEqual({ deploymentId: 'd-db' });
    expect(await within(dialog).findByText('Added db as step 2.')).toBeInTheDocument();
    await waitFor(() => expect(within(dialog).queryByRole('button', { name: 'Add db' })).not.toBeInTheDocument());
    expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: db']);
  });

  it('removes a step only after a confirmation saying the deployment is kept', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'DELETE /api/v1/pipelines/p1/steps/s2': () =>
        withEtag(pipeline({ version: 8, steps: pipeline().steps.filter((s) => s.id !== 's2') })),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Remove db' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove from pipeline' });
    expect(dialog).toHaveTextContent('The deployment itself is kept');
    expect(server.calls('DELETE /api/v1/pipelines/p1/steps/s2')).toHaveLength(0);

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    await waitFor(async () => expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: web']));
  });

  it('renames with If-Match', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'PATCH /api/v1/pipelines/p1': ({ body }) => withEtag({ ...pipeline(), ...(body as object), version: 8 }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit pipeline' });
    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    await user.clear(name);
    await user.type(name, 'Prod rollout');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Prod rollout' })).toBeInTheDocument();
    const patch = server.calls('PATCH /api/v1/pipelines/p1')[0]!;
    expect(patch.headers.get('If-Match')).toBe('"7"');
    expect(patch.body).toEqual({ name: 'Prod rollout', description: 'Network, database, application' });
  });

  it('runs the pipeline and opens the new run', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'POST /api/v1/pipelines/p1/runs': () => json(pipelineRun({ id: 'r9', status: 'queued' }), 202),
    });
    const { user, router } = renderPage();
    // The test router knows only this page: the run page's URL ends in its default "not found", which it logs.
    vi.spyOn(console, 'error').mockImplementation(() => {});

    await user.click(await screen.findByRole('button', { name: 'Run Pipeline' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/aws/pipeline-runs/r9'));
    const trigger = server.calls('POST /api/v1/pipelines/p1/runs')[0]!;
    expect(trigger.headers.get('X-Amnify-Client')).toBe('spa');
    expect(trigger.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it("shows why a run was refused (409's detail)", async () => {
    fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'POST /api/v1/pipelines/p1/runs': () =>
        problem(409, { title: 'Conflict', detail: 'Run #2 of this pipeline is still active.' }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Run Pipeline' }));

    expect(await screen.findByText('Run #2 of this pipeline is still active.')).toBeInTheDocument();
  });

  it('lists past runs with links to each run', async () => {
    fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': () =>
        json({
          items: [
            pipelineRun({ id: 'r2', number: 2, status: 'failed', finishedAt: '2026-11-22T10:05:00Z' }),
            pipelineRun({ id: 'r1', number: 1, status: 'completed', finishedAt: '2026-11-21T10:05:00Z' }),
          ],
          nextCursor: null,
        }),
    });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Run history' });
    expect(within(table).getByRole('link', { name: '#2' })).toHaveAttribute('href', '/aws/pipeline-runs/r2');
    expect(within(table).getByText('Failed')).toBeInTheDocument();
    expect(within(table).getByText('Completed')).toBeInTheDocument();
  });

  it('shows each past run’s duration and how many of its steps are done, with the full date on hover', async () => {
    fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
      'GET /api/v1/pipelines/p1/runs': () =>
        json({
          items: [
            pipelineRun({
              id: 'r2',
              number: 2,
              status: 'failed',
              startedAt: '2026-11-22T10:00:00Z',
              finishedAt: '2026-11-22T10:02:05Z',
              steps: [
                runStep({ position: 1, deploymentName: 'net', status: 'completed' }),
                runStep({ position: 2, deploymentName: 'db', status: 'skipped' }),
                runStep({ position: 3, deploymentName: 'web', status: 'failed' }),
              ],
            }),
            pipelineRun({ id: 'r3', number: 3, status: 'running' }),
          ],
          nextCursor: null,
        }),
    });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Run history' });
    const finished = within(table).getByRole('link', { name: '#2' }).closest('tr')!;
    expect(within(finished as HTMLElement).getByText('2m 05s')).toBeInTheDocument();
    expect(within(finished as HTMLElement).getByText('2/3 steps')).toBeInTheDocument();
    const started = finished.querySelector('time[datetime="2026-11-22T10:00:00Z"]')!;
    expect(started.getAttribute('title')).toContain('2026');
    const running = within(table).getByRole('link', { name: '#3' }).closest('tr')!;
    expect(within(running as HTMLElement).getByText('0/2 steps')).toBeInTheDocument();
  });

  it('says when the pipeline does not exist', async () => {
    fakeFetch({
      'GET /api/v1/pipelines/p1': () => problem(404, { title: 'Not found', detail: 'Pipeline p1 does not exist.' }),
      'GET /api/v1/pipelines/p1/runs': noRuns,
    });

    renderPage();

    expect(await screen.findByText('Pipeline not found')).toBeInTheDocument();
  });

  it('follows the active run live: a step’s status changes as soon as the run says so', async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    let current = pipeline({ activeRunId: 'r1', steps: [step({ id: 's1', deploymentName: 'net', deploymentStatus: 'running' })] });
    fakeFetch({ 'GET /api/v1/pipelines/p1': () => withEtag(current), 'GET /api/v1/pipelines/p1/runs': noRuns });
    renderPage();

    const row = await screen.findByRole('listitem', { name: 'Step 1: net' });
    expect(within(row).getByText('Running')).toBeInTheDocument();
    await waitFor(() => expect(FakeEventSource.instances.map((s) => s.url)).toContain('/api/v1/pipeline-runs/r1/events'));

    current = { ...current, steps: [{ ...current.steps[0]!, deploymentStatus: 'awaitingApproval' }] };
    FakeEventSource.instances.at(-1)!.emit('step', { position: 1, deploymentName: 'net', status: 'running', deploymentRunStatus: 'awaitingPlanApproval', at: '2026-11-22T10:01:00Z' });

    expect(await within(screen.getByRole('listitem', { name: 'Step 1: net' })).findByText('Awaiting approval')).toBeInTheDocument();
    vi.unstubAllGlobals();
  });

  it('offers Run Pipeline on an empty pipeline only disabled, saying why', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(pipeline({ steps: [] })),
      'GET /api/v1/pipelines/p1/runs': noRuns,
    });
    const { user } = renderPage();

    const button = await screen.findByRole('button', { name: 'Run Pipeline' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.hover(button);
    expect(await screen.findByText('Add a deployment first: an empty pipeline has nothing to run.')).toBeInTheDocument();
    await user.click(button);
    expect(server.calls('POST /api/v1/pipelines/p1/runs')).toHaveLength(0);
  });

  it('clears a refused run’s message once the pipeline has changed', async () => {
    let current = pipeline();
    const server = fakeFetch({
      'GET /api/v1/pipelines/p1': () => withEtag(current),
      'GET /api/v1/pipelines/p1/runs': noRuns,
      'POST /api/v1/pipelines/p1/runs': () =>
        problem(409, { title: 'Conflict', detail: 'db needs configuration: admin_password has no value.' }),
      'DELETE /api/v1/pipelines/p1/steps/s2': () => {
        current = pipeline({ version: 8, steps: pipeline().steps.filter((s) => s.id !== 's2') });
        return withEtag(current);
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Run Pipeline' }));
    expect(await screen.findByText('db needs configuration: admin_password has no value.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove db' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Remove from pipeline' })).getByRole('button', { name: 'Remove' }));

    await waitFor(() => expect(server.calls('DELETE /api/v1/pipelines/p1/steps/s2')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText('db needs configuration: admin_password has no value.')).not.toBeInTheDocument());
  });

  describe('every edit sends the ETag it was made on (If-Match)', () => {
    it('adding a step', async () => {
      const server = fakeFetch({
        'GET /api/v1/pipelines/p1': () => withEtag(pipeline({ steps: [] })),
        'GET /api/v1/pipelines/p1/runs': noRuns,
        'GET /api/v1/deployments': () => json({ items: [deployment({ id: 'd-db', name: 'db' })], nextCursor: null }),
        'POST /api/v1/pipelines/p1/steps': () =>
          withEtag(pipeline({ version: 8, steps: [step({ id: 's1', deploymentName: 'db', deploymentId: 'd-db' })] }), 201),
      });
      const { user } = renderPage();

      await user.click(await screen.findByRole('button', { name: 'Add Deployment' }));
      await user.click(await screen.findByRole('button', { name: 'Add db' }));

      await waitFor(() => expect(server.calls('POST /api/v1/pipelines/p1/steps')).toHaveLength(1));
      expect(server.calls('POST /api/v1/pipelines/p1/steps')[0]!.headers.get('If-Match')).toBe('"7"');
    });

    it('adding a step to a pipeline someone changed meanwhile (412) shows why and fetches it again', async () => {
      const server = fakeFetch({
        'GET /api/v1/pipelines/p1': () => withEtag(pipeline({ steps: [] })),
        'GET /api/v1/pipelines/p1/runs': noRuns,
        'GET /api/v1/deployments': () => json({ items: [deployment({ id: 'd-db', name: 'db' })], nextCursor: null }),
        'POST /api/v1/pipelines/p1/steps': () =>
          problem(412, { title: 'Precondition Failed', detail: 'The pipeline has changed since version 7.' }),
      });
      const { user } = renderPage();

      await user.click(await screen.findByRole('button', { name: 'Add Deployment' }));
      await user.click(await screen.findByRole('button', { name: 'Add db' }));

      expect(await screen.findByText('The pipeline has changed since version 7.')).toBeInTheDocument();
      await waitFor(() => expect(server.calls('GET /api/v1/pipelines/p1').length).toBeGreaterThan(1));
    });

    it('removing a step', async () => {
      const server = fakeFetch({
        'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
        'GET /api/v1/pipelines/p1/runs': noRuns,
        'DELETE /api/v1/pipelines/p1/steps/s2': () =>
          withEtag(pipeline({ version: 8, steps: pipeline().steps.filter((s) => s.id !== 's2') })),
      });
      const { user } = renderPage();

      await user.click(await screen.findByRole('button', { name: 'Remove db' }));
      const dialog = await screen.findByRole('dialog', { name: 'Remove from pipeline' });
      await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

      await waitFor(() => expect(server.calls('DELETE /api/v1/pipelines/p1/steps/s2')).toHaveLength(1));
      expect(server.calls('DELETE /api/v1/pipelines/p1/steps/s2')[0]!.headers.get('If-Match')).toBe('"7"');
    });

    it('deleting the pipeline', async () => {
      const server = fakeFetch({
        'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
        'GET /api/v1/pipelines/p1/runs': noRuns,
        'DELETE /api/v1/pipelines/p1': () => new Response(null, { status: 204 }),
      });
      const { user } = renderPage();

      await user.click(await screen.findByRole('button', { name: 'Delete' }));
      const dialog = await screen.findByRole('dialog', { name: 'Delete pipeline' });
      await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

      await waitFor(() => expect(server.calls('DELETE /api/v1/pipelines/p1')).toHaveLength(1));
      expect(server.calls('DELETE /api/v1/pipelines/p1')[0]!.headers.get('If-Match')).toBe('"7"');
    });
  });

  describe('by role', () => {
    it('a viewer sees the steps and runs, but no edit, delete, run, add, remove, reorder or drag controls', async () => {
      fakeFetch({
        'GET /api/v1/pipelines/p1': () => withEtag(pipeline()),
        'GET /api/v1/pipelines/p1/runs': () => json({ items: [pipelineRun({ status: 'completed' })], nextCursor: null }),
      });

      renderWithApp(<PipelineDetailPage />, {
        route: '/aws/pipelines/p1',
        path: '/:provider/pipelines/:pipelineId',
        role: 'viewer',
      });

      expect(await shownOrder()).toEqual(['Step 1: net', 'Step 2: db', 'Step 3: web']);
      expect(await screen.findByRole('table', { name: 'Run history' })).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /edit|delete|run pipeline|add|remove|move|drag/i }),
      ).not.toBeInTheDocument();
      expect(screen.queryByText(/drag the handles/)).not.toBeInTheDocument();
    });

    it('a viewer is not invited to fill an empty pipeline', async () => {
      fakeFetch({ 'GET /api/v1/pipelines/p1': () => withEtag(pipeline({ steps: [] })), 'GET /api/v1/pipelines/p1/runs': noRuns });

      renderWithApp(<PipelineDetailPage />, {
        route: '/aws/pipelines/p1',
        path: '/:provider/pipelines/:pipelineId',
        role: 'viewer',
      });

      expect(await screen.findByText('This pipeline is empty')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /add|edit|delete|run/i })).not.toBeInTheDocument();
    });
  });
});
