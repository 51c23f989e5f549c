import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { run } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import type { DeploymentRun } from '../api/run-queries';
import { RunPage } from './run-page';

/** jsdom has no EventSource: a tiny fake the test drives by hand. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  private listeners = new Map<string, Set<(event: MessageEvent) => void>>();

  readonly url: string;

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.get(type)?.delete(listener);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** Sends one server event, as `id: N / event: type / data: JSON`. */
  emit(type: string, data: unknown, id?: number) {
    if (type === 'open') this.readyState = FakeEventSource.OPEN;
    const event = new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id === undefined ? '' : String(id) });
    act(() => this.listeners.get(type)?.forEach((listener) => listener(event)));
  }

  static latest() {
    return FakeEventSource.instances.at(-1)!;
  }
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const runId = run().id;
const renderPage = () => renderWithApp(<RunPage />, { route: `/aws/runs/${runId}`, path: '/:provider/runs/:runId' });
const serve = (current: () => DeploymentRun, overrides: Parameters<typeof fakeFetch>[0] = {}) =>
  fakeFetch({ [`GET /api/v1/deployment-runs/${runId}`]: () => json(current()), ...overrides });

const awaitingPlan = run({
  status: 'awaitingPlanApproval',
  startedAt: '2026-11-21T10:00:05Z',
  plannedAt: '2026-11-21T10:00:20Z',
  plan: {
    add: 2,
    change: 0,
    destroy: 0,
    replace: 1,
    resources: [
      { address: 'terraform_data.network', action: 'create' },
      { address: 'terraform_data.subnet["public"]', action: 'create' },
      { address: 'terraform_data.old', action: 'replace' },
    ],
  },
  actions: { approvePlan: true, approveApply: false, cancel: true, blocked: {} },
});
const awaitingApply = run({
  ...awaitingPlan,
  status: 'awaitingApplyApproval',
  planApprovedBy: 'bob@example.com',
  planApprovedAt: '2026-11-21T10:01:00Z',
  actions: { approvePlan: false, approveApply: true, cancel: true, blocked: {} },
});

describe('RunPage', () => {
  it('after approving the plan, moves focus to Approve Apply (the next action)', async () => {
    let current = awaitingPlan;
    serve(() => current, {
      [`POST /api/v1/deployment-runs/${runId}/approve-plan`]: () => {
        current = awaitingApply;
        return json(current);
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Approve Plan' }));

    const approveApply = await screen.findByRole('button', { name: 'Approve Apply' });
    await waitFor(() => expect(approveApply).toHaveFocus());
  });

  it('after cancelling, moves focus to the page heading (nothing else is left to do) and names the tab', async () => {
    let current = awaitingPlan;
    serve(() => current, {
      [`POST /api/v1/deployment-runs/${runId}/cancel`]: () => {
        current = run({ ...awaitingPlan, status: 'cancelled', actions: { approvePlan: false, approveApply: false, cancel: false, blocked: {} } });
        return json(current);
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel run' });
    expect(within(dialog).getByRole('button', { name: 'Keep running' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel run' }));

    const heading = screen.getByRole('heading', { level: 1 });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(document.title).toBe(`${heading.textContent} · Amnify Deploy`);
  });

  it('offers Approve Plan only while the run allows it, then Approve Apply', async () => {
    let current = awaitingPlan;
    const server = serve(() => current, {
      [`POST /api/v1/deployment-runs/${runId}/approve-plan`]: () => {
        current = awaitingApply;
        return json(current);
      },
    });
    const { user } = renderPage();

    const approvePlan = await screen.findByRole('button', { name: 'Approve Plan' });
    expect(screen.queryByRole('button', { name: 'Approve Apply' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel run' })).toBeInTheDocument();
    expect(screen.getByText('Waiting for someone to approve the plan')).toBeInTheDocument();

    await user.click(approvePlan);

    expect(await screen.findByRole('button', { name: 'Approve Apply' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve Plan' })).not.toBeInTheDocument();
    expect(screen.getByText(/Approved by bob@example\.com/)).toBeInTheDocument();
    expect(server.calls(`POST /api/v1/deployment-runs/${runId}/approve-plan`)).toHaveLength(1);
  });

  it('shows no approval or cancel button when the run allows none', async () => {
    serve(() =>
      run({
        status: 'applying',
        applyStartedAt: '2026-11-21T10:02:00Z',
        actions: { approvePlan: false, approveApply: false, cancel: false, blocked: {} },
      }),
    );

    renderPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'Execute orders-db' })).toBeInTheDocument();
    expect(screen.getAllByText('Applying').length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Approve Plan' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve Apply' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument();
  });

  it('shows why instead of Approve Apply when the server says a rule stops this caller', async () => {
    const server = serve(() =>
      run({
        ...awaitingApply,
        requireDistinctApprover: true,
        actions: {
          approvePlan: false,
          approveApply: false,
          cancel: true,
          blocked: { approveApply: 'Another approver is needed: you approved its plan' },
        },
      }),
    );

    renderPage();

    expect(await screen.findByText('Another approver is needed: you approved its plan')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve Apply' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve Plan' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Cancel( run)?$/ })).toBeInTheDocument();
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('tells an operator which role approving the plan needs, with no button to press', async () => {
    serve(() =>
      run({
        ...awaitingPlan,
        actions: { approvePlan: false, approveApply: false, cancel: true, blocked: { approvePlan: 'Needs the approver role' } },
      }),
    );

    renderWithApp(<RunPage />, { route: `/aws/runs/${runId}`, path: '/:provider/runs/:runId', role: 'operator' });

    expect(await screen.findByText('Needs the approver role')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve Plan' })).not.toBeInTheDocument();
  });

  it("shows a 409's detail when the approval is no longer allowed", async () => {
    serve(() => awaitingPlan, {
      [`POST /api/v1/deployment-runs/${runId}/approve-plan`]: () =>
        problem(409, { title: 'Conflict', detail: 'The run is cancelled.' }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Approve Plan' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The run is cancelled.');
  });

  it('follows the live log without ANSI codes and refreshes the run on each status event', async () => {
    let current = run({ status: 'planning', startedAt: '2026-11-21T10:00:05Z' });
    const server = serve(() => current);
    renderPage();
    await screen.findByRole('heading', { level: 1, name: 'Execute orders-db' });
    const source = FakeEventSource.latest();
    expect(source.url).toBe(`/api/v1/deployment-runs/${runId}/events`);
    expect(screen.queryByRole('button', { name: 'Approve Plan' })).not.toBeInTheDocument();

    source.emit('open', {});
    source.emit('log', { line: '\u001b[1mInitializing the backend...\u001b[0m' }, 1);
    source.emit('log', { line: '  \u001b[32m+\u001b[0m resource "terraform_data" "network"' }, 2);
    source.emit('log', { line: 'Initializing the backend...' }, 1); // resent after a reconnect: ignored
    const log = screen.getByRole('log', { name: 'Run log' });
    await waitFor(() => expect(log).toHaveTextContent('Initializing the backend... + resource "terraform_data" "network"'));
    expect(log.textContent).toBe('Initializing the backend...\n  + resource "terraform_data" "network"');

    const fetchesBefore = server.calls(`GET /api/v1/deployment-runs/${runId}`).length;
    current = awaitingPlan;
    source.emit('status', { status: 'awaitingPlanApproval' }, 3);

    expect(await screen.findByRole('button', { name: 'Approve Plan' })).toBeInTheDocument();
    expect(server.calls(`GET /api/v1/deployment-runs/${runId}`).length).toBeGreaterThan(fetchesBefore);
  });

  it('shows the plan, the full plan text on demand, the outputs (masking sensitive ones) and the error', async () => {
    const finished = run({
      ...awaitingApply,
      status: 'failed',
      error: 'Error: creating subnet: quota exceeded',
      outputs: { network_id: { value: 'aws-net-1234', sensitive: false }, token: { value: null, sensitive: true } },
      finishedAt: '2026-11-21T10:03:00Z',
      actions: { approvePlan: false, approveApply: false, cancel: false, blocked: {} },
    });
    serve(() => finished, {
      [`GET /api/v1/deployment-runs/${runId}/plan`]: () =>
        new Response('Terraform will perform the following actions:', { headers: { 'Content-Type': 'text/plain' } }),
    });
    const { user } = renderPage();

    const counts = await screen.findByRole('group', { name: /^Plan: 2 to add/ });
    expect(counts).toHaveTextContent('+2 to add');
    expect(counts).toHaveTextContent('~0 to change');
    expect(counts).toHaveTextContent('-0 to destroy');
    expect(counts).toHaveTextContent('±1 to replace');
    expect(within(screen.getByRole('list', { name: 'Resources to create' })).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByRole('list', { name: 'Resources to replace' })).toHaveTextContent('terraform_data.old');

    await user.click(screen.getByRole('button', { name: 'Show full plan' }));
    expect(await screen.findByText('Terraform will perform the following actions:')).toBeInTheDocument();

    const outputs = screen.getByRole('table', { name: 'Outputs' });
    expect(within(outputs).getByRole('row', { name: /network_id/ })).toHaveTextContent('aws-net-1234');
    expect(within(outputs).getByRole('row', { name: /token/ })).toHaveTextContent(/^tokensensitive$/);
    expect(screen.getByRole('alert')).toHaveTextContent('Error: creating subnet: quota exceeded');
    expect(screen.getByRole('link', { name: /Back to deployment orders-db/ })).toHaveAttribute(
      'href',
      `/aws/deployments/${run().deploymentId}`,
    );
  });

  it('cancels with the reason given', async () => {
    const server = serve(() => awaitingPlan, {
      [`POST /api/v1/deployment-runs/${runId}/cancel`]: () =>
        json(run({ ...awaitingPlan, status: 'cancelled', cancelledBy: 'alice@example.com', cancelReason: 'Wrong window', actions: { approvePlan: false, approveApply: false, cancel: false, blocked: {} } })),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancel run' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Reason (optional)' }), 'Wrong window');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel run' }));

    expect(await screen.findByText(/Cancelled by alice@example\.com · Wrong window/)).toBeInTheDocument();
    expect(server.calls(`POST /api/v1/deployment-runs/${runId}/cancel`)[0]!.body).toEqual({ reason: 'Wrong window' });
    expect(screen.queryByRole('button', { name: 'Approve Plan' })).not.toBeInTheDocument();
  });
});
