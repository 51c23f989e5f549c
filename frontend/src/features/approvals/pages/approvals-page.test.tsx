import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { page } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import type { PendingApproval } from '../api/approval-queries';
import { ApprovalsPage } from './approvals-page';

const item = (overrides: Partial<PendingApproval> = {}): PendingApproval => ({
  runId: 'run-1',
  deploymentId: 'd1',
  deploymentName: 'network',
  operation: 'execute',
  gate: 'plan',
  pipelineRunId: 'pr1',
  pipelineId: 'p1',
  pipelineName: 'Platform rollout',
  pipelineRunNumber: 4,
  stepPosition: 1,
  plan: { add: 2, change: 0, destroy: 0, replace: 0, resources: [] },
  planSha256: 'a1b2c3d4e5f6'.padEnd(64, '0'),
  triggeredBy: 'alice@example.com',
  waitingSince: '2026-11-22T10:00:00Z',
  progress: { gate: 'plan', approvals: 1, required: 2, adminRequired: false, text: '1 of 2 approvals' },
  ...overrides,
});

const renderPage = () => renderWithApp(<ApprovalsPage />, { route: '/aws/approvals', path: '/:provider/approvals' });

describe('ApprovalsPage', () => {
  it('lists each gate with its run, pipeline step, plan hash and progress', async () => {
    const server = fakeFetch({ 'GET /api/v1/approvals': () => json(page([item(), item({ runId: 'run-2', gate: 'apply', pipelineRunId: null })])) });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Awaiting my approval' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole('link', { name: 'Execute network' })).toHaveAttribute('href', '/aws/runs/run-1');
    expect(within(rows[0]!).getByRole('link', { name: 'Platform rollout #4' })).toHaveAttribute('href', '/aws/pipeline-runs/pr1');
    expect(within(rows[0]!).getByText('1 of 2 approvals')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('plan a1b2c3d4e5f6')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Apply')).toBeInTheDocument();
    expect(server.calls('GET /api/v1/approvals')[0]!.url.searchParams.get('provider')).toBe('aws');
  });

  it('says so when nothing awaits the caller', async () => {
    fakeFetch({ 'GET /api/v1/approvals': () => json(page([])) });

    renderPage();

    expect(await screen.findByText('Nothing awaits your approval')).toBeInTheDocument();
  });
});
