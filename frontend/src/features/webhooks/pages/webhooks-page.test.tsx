import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import type { Webhook, WebhookDelivery } from '../api/webhook-queries';
import { WebhookDeliveriesPage } from './webhook-deliveries-page';
import { WebhooksPage } from './webhooks-page';

const SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10aGUtdGVzdA==';

function webhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: 'w1',
    url: 'https://ci.example.com/hooks/amnify',
    description: 'CI',
    eventTypes: [],
    enabled: true,
    createdBy: 'admin@example.com',
    createdAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

function delivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: 'dl1',
    eventId: 'e1',
    eventType: 'approval.required',
    status: 'delivered',
    attempts: 2,
    nextAttemptAt: null,
    createdAt: '2026-11-20T10:00:00Z',
    deliveredAt: '2026-11-20T10:00:31Z',
    log: [
      { attempt: 1, at: '2026-11-20T10:00:00Z', statusCode: 500, error: null, durationMs: 12 },
      { attempt: 2, at: '2026-11-20T10:00:31Z', statusCode: 200, error: null, durationMs: 8 },
    ],
    ...overrides,
  };
}

describe('WebhooksPage', () => {
  it('is for admins only', async () => {
    fakeFetch({ 'GET /api/v1/webhooks': () => json([]) });

    renderWithApp(<WebhooksPage />, { route: '/webhooks', path: '/webhooks', role: 'approver' });

    expect(await screen.findByText(/admin/i)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New webhook' })).not.toBeInTheDocument();
  });

  it('lists endpoints with the events they get', async () => {
    fakeFetch({
      'GET /api/v1/webhooks': () => json([webhook(), webhook({ id: 'w2', url: 'https://chat.example.com/x', eventTypes: ['approval.required'] })]),
    });

    renderWithApp(<WebhooksPage />, { route: '/webhooks', path: '/webhooks', role: 'admin' });

    const table = await screen.findByRole('table', { name: 'Webhooks' });
    expect(within(table).getByRole('row', { name: /ci\.example\.com/ })).toHaveTextContent('All events');
    expect(within(table).getByRole('row', { name: /chat\.example\.com/ })).toHaveTextContent('approval.required');
  });

  it('shows a new endpoint’s secret once and forgets it when the dialog closes', async () => {
    let webhooks: Webhook[] = [];
    const server = fakeFetch({
      'GET /api/v1/webhooks': () => json(webhooks),
      'POST /api/v1/webhooks': ({ body }) => {
        const created = webhook({ ...(body as Partial<Webhook>), description: 'x' });
        webhooks = [created];
        return json({ secret: SECRET, webhook: created }, 201);
      },
    });
    const { user } = renderWithApp(<WebhooksPage />, { route: '/webhooks', path: '/webhooks', role: 'admin' });
    await user.click(await screen.findByRole('button', { name: 'New webhook' }));
    const form = await screen.findByRole('dialog', { name: 'New webhook' });

    await user.type(within(form).getByRole('textbox', { name: /^URL/ }), 'https://ci.example.com/hooks/amnify');
    await user.click(within(form).getByRole('checkbox', { name: /Approval required/ }));
    await user.click(within(form).getByRole('button', { name: 'Create webhook' }));

    const shown = await screen.findByRole('dialog', { name: 'Copy the signing secret' });
    expect(within(shown).getByRole('textbox', { name: 'Signing secret' })).toHaveValue(SECRET);
    expect(server.calls('POST /api/v1/webhooks')[0]!.body).toEqual({
      url: 'https://ci.example.com/hooks/amnify',
      description: null,
      eventTypes: ['approval.required'],
    });
    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Copy the signing secret' })).not.toBeInTheDocument());
    expect(await screen.findByRole('table', { name: 'Webhooks' })).toBeInTheDocument();
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
  });

  it('puts a refused address at the URL field', async () => {
    fakeFetch({
      'GET /api/v1/webhooks': () => json([]),
      'POST /api/v1/webhooks': () =>
        problem(400, { title: 'One or more fields are invalid', errors: { url: ['127.0.0.1 resolves to a private address.'] } }),
    });
    const { user } = renderWithApp(<WebhooksPage />, { route: '/webhooks', path: '/webhooks', role: 'admin' });
    await user.click(await screen.findByRole('button', { name: 'New webhook' }));
    const form = await screen.findByRole('dialog', { name: 'New webhook' });

    await user.type(within(form).getByRole('textbox', { name: /^URL/ }), 'http://127.0.0.1/hook');
    await user.click(within(form).getByRole('button', { name: 'Create webhook' }));

    expect(await within(form).findByText('127.0.0.1 resolves to a private address.')).toBeInTheDocument();
  });
});

describe('WebhookDeliveriesPage', () => {
  it('shows each delivery with its attempts, and redelivers one', async () => {
    let deliveries = [delivery(), delivery({ id: 'dl2', eventId: 'e2', status: 'failed', attempts: 6, log: [] })];
    const server = fakeFetch({
      'GET /api/v1/webhooks': () => json([webhook()]),
      'GET /api/v1/webhooks/w1/deliveries': () => json(deliveries),
      'POST /api/v1/webhooks/w1/deliveries/dl2/redeliver': () => {
        deliveries = [deliveries[0]!, { ...deliveries[1]!, status: 'pending' }];
        return json(deliveries[1], 202);
      },
    });
    const { user } = renderWithApp(<WebhookDeliveriesPage />, { route: '/webhooks/w1', path: '/webhooks/:webhookId', role: 'admin' });

    const table = await screen.findByRole('table', { name: 'Deliveries' });
    const first = within(table).getByRole('row', { name: /e1/ });
    expect(first).toHaveTextContent(/Approval required.*Delivered.*2.*200 · 8 ms/);
    await user.click(within(first).getByRole('button', { name: '2 attempts of e1' }));
    expect(within(table).getByText('500 · 12 ms')).toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: 'Redeliver e2' }));

    await waitFor(() => expect(server.calls('POST /api/v1/webhooks/w1/deliveries/dl2/redeliver')).toHaveLength(1));
    expect(await within(within(table).getByRole('row', { name: /e2/ })).findByText('Pending')).toBeInTheDocument();
  });
});
