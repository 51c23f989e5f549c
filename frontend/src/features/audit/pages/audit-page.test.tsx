import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { page } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import type { AuditEvent } from '../api/audit-queries';
import { AuditPage } from './audit-page';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'e1',
    at: '2026-11-21T10:00:00Z',
    actor: 'alice@example.com',
    action: 'deployment.update',
    resourceType: 'deployment',
    resourceId: 'd1',
    details: 'variables',
    sourceIp: '10.0.0.7',
    ...overrides,
  };
}

const actions = () => json({ actions: ['auth.login', 'deployment.update', 'pipelineRun.cancel'] });

const renderPage = (route = '/audit', role: 'admin' | 'operator' = 'admin') =>
  renderWithApp(<AuditPage />, { route, path: '/audit', role });

describe('AuditPage', () => {
  it('lists the events newest first as the API sends them, and loads older ones', async () => {
    const server = fakeFetch({
      'GET /api/v1/audit-events/actions': actions,
      'GET /api/v1/audit-events': ({ url }) =>
        json(
          url.searchParams.get('cursor') === 'c2'
            ? page([event({ id: 'e0', action: 'auth.login', resourceType: 'user' })])
            : page([event({ id: 'e2', action: 'pipelineRun.trigger', resourceType: 'pipelineRun' }), event()], 'c2'),
        ),
    });
    const { user } = renderPage();

    const table = await screen.findByRole('table', { name: 'Audit events' });
    let rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(/alice@example\.com.*pipelineRun\.trigger.*pipelineRun/);
    expect(rows[1]).toHaveTextContent(/deployment\.update.*deployment.*d1.*variables.*10\.0\.0\.7/);

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    rows = within(table).getAllByRole('row').slice(1);
    expect(rows[2]).toHaveTextContent('auth.login');
    expect(server.calls('GET /api/v1/audit-events')[1]!.url.searchParams.get('cursor')).toBe('c2');
  });

  it('filters by actor, action, resource type and days, kept in the URL', async () => {
    const server = fakeFetch({ 'GET /api/v1/audit-events/actions': actions, 'GET /api/v1/audit-events': () => json(page([event()])) });
    const { user } = renderPage();
    await screen.findByRole('table', { name: 'Audit events' });

    const form = screen.getByRole('form', { name: 'Filter audit events' });
    await user.type(within(form).getByRole('textbox', { name: 'Actor' }), 'alice@example.com');
    await user.type(within(form).getByRole('combobox', { name: 'Action' }), 'deployment.update');
    await user.type(within(form).getByRole('combobox', { name: 'Resource type' }), 'deployment');
    await user.type(within(form).getByLabelText('From'), '2026-11-01');
    await user.type(within(form).getByLabelText('To'), '2026-11-30');
    await user.click(within(form).getByRole('button', { name: 'Apply filters' }));

    await waitFor(() => expect(server.calls('GET /api/v1/audit-events')).toHaveLength(2));
    const query = server.calls('GET /api/v1/audit-events')[1]!.url.searchParams;
    expect(query.get('actor')).toBe('alice@example.com');
    expect(query.get('action')).toBe('deployment.update');
    expect(query.get('resourceType')).toBe('deployment');
    // Local days: from the start of the first to the start of the day after the last.
    expect(query.get('from')).toBe(new Date(2026, 10, 1).toISOString());
    expect(query.get('to')).toBe(new Date(2026, 11, 1).toISOString());
    expect(screen.getByTestId('location')).toHaveTextContent(
      '/audit?actor=alice%40example.com&action=deployment.update&resourceType=deployment&from=2026-11-01&to=2026-11-30',
    );
  });

  it('starts from the filters in the URL and can clear them', async () => {
    const server = fakeFetch({ 'GET /api/v1/audit-events/actions': actions, 'GET /api/v1/audit-events': () => json(page([])) });
    const { user } = renderPage('/audit?action=token.revoke');

    expect(await screen.findByText('No matching events')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Action' })).toHaveValue('token.revoke');
    expect(server.calls('GET /api/v1/audit-events')[0]!.url.searchParams.get('action')).toBe('token.revoke');

    await user.click(screen.getByRole('button', { name: 'Clear' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/audit$/));
    expect(await screen.findByText('No events yet')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Action' })).toHaveValue('');
  });

  it('offers the actions the API lists in the action filter', async () => {
    fakeFetch({ 'GET /api/v1/audit-events/actions': actions, 'GET /api/v1/audit-events': () => json(page([])) });
    const { user } = renderPage();
    await screen.findByText('No events yet');

    await user.click(screen.getByRole('combobox', { name: 'Action' }));

    for (const action of ['auth.login', 'deployment.update', 'pipelineRun.cancel'])
      expect(await screen.findByRole('option', { name: action, hidden: true })).toBeInTheDocument();
    // An action the API does not list is not offered.
    expect(screen.queryByRole('option', { name: 'token.revoke', hidden: true })).not.toBeInTheDocument();
  });

  it('is for admins only', async () => {
    const server = fakeFetch({});

    renderPage('/audit', 'operator');

    expect(await screen.findByText('Not available with your role')).toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });
});
