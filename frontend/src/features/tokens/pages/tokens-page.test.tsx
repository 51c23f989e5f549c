import { notifications } from '@mantine/notifications';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFetch, json, noContent, problem } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import type { ApiToken } from '../api/token-queries';
import { TokensPage } from './tokens-page';

const SECRET = 'amn_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

function token(overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 't1',
    name: 'report script',
    kind: 'personal',
    pipelineId: null,
    owner: 'admin@example.com',
    prefix: 'amn_1a2b',
    expiresAt: '2099-01-01T00:00:00Z',
    lastUsedAt: null,
    revokedAt: null,
    createdAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

const renderPage = (role: 'viewer' | 'admin' = 'admin') => renderWithApp(<TokensPage />, { route: '/tokens', path: '/tokens', role });

describe('TokensPage', () => {
  afterEach(() => {
    notifications.clean();
    notifications.cleanQueue();
  });

  it('lists the tokens by their prefix only, with kind, pipeline, dates and status', async () => {
    fakeFetch({
      'GET /api/v1/tokens': () =>
        json([
          token(),
          token({ id: 't2', name: 'ci', kind: 'pipeline', pipelineId: 'p1', prefix: 'amn_ffee', lastUsedAt: '2026-11-21T10:00:00Z' }),
          token({ id: 't3', name: 'old', prefix: 'amn_0000', revokedAt: '2026-11-22T10:00:00Z' }),
          token({ id: 't4', name: 'stale', prefix: 'amn_1111', expiresAt: '2020-01-01T00:00:00Z' }),
        ]),
      'GET /api/v1/pipelines': () =>
        json({ items: [{ id: 'p1', provider: 'aws', name: 'Platform rollout' }], nextCursor: null }),
    });

    renderPage();

    const table = await screen.findByRole('table', { name: 'API tokens' });
    const row = (name: string) => within(table).getByRole('row', { name: new RegExp(`^${name}`) });
    expect(row('report script')).toHaveTextContent(/Personal.*amn_1a2b….*Never used.*Active/);
    expect(within(row('report script')).getByRole('button', { name: 'Revoke report script' })).toBeInTheDocument();
    await waitFor(() => expect(row('ci')).toHaveTextContent(/Pipeline trigger.*Platform rollout.*amn_ffee…/));
    expect(row('old')).toHaveTextContent('Revoked');
    expect(within(row('old')).queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    expect(row('stale')).toHaveTextContent('Expired');
  });

  it('shows a new token once, with a copy button, and forgets it when the dialog closes', async () => {
    let tokens: ApiToken[] = [];
    const server = fakeFetch({
      'GET /api/v1/tokens': () => json(tokens),
      'POST /api/v1/tokens': ({ body }) => {
        const created = token({ id: 'new', name: (body as { name: string }).name, prefix: SECRET.slice(0, 8) });
        tokens = [created];
        return json({ token: SECRET, apiToken: created }, 201);
      },
    });
    const { user } = renderPage();
    expect(await screen.findByText('No tokens yet')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New token' }));
    const form = await screen.findByRole('dialog', { name: 'New API token' });
    await user.type(within(form).getByRole('textbox', { name: /^Name/ }), 'nightly report');
    await user.clear(within(form).getByRole('textbox', { name: /^Expires in/ }));
    await user.type(within(form).getByRole('textbox', { name: /^Expires in/ }), '30');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));

    const shown = await screen.findByRole('dialog', { name: 'Copy your new token' });
    expect(within(shown).getByRole('textbox', { name: 'Token' })).toHaveValue(SECRET);
    expect(within(shown).getByRole('button', { name: 'Copy token' })).toBeInTheDocument();
    expect(shown).toHaveTextContent('It will not be shown again');
    expect(server.calls('POST /api/v1/tokens')[0]!.body).toEqual({ name: 'nightly report', kind: 'personal', expiresInDays: 30 });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New API token' })).not.toBeInTheDocument());

    await user.click(within(shown).getByRole('button', { name: 'Done' }));

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Copy your new token' })).not.toBeInTheDocument());
    const table = await screen.findByRole('table', { name: 'API tokens' });
    expect(within(table).getByText('amn_9f8e…')).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(SECRET);
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
  });

  it('groups the pipelines to choose from under their provider’s display name', async () => {
    fakeFetch({
      'GET /api/v1/tokens': () => json([]),
      'GET /api/v1/providers': () =>
        json({ items: [{ id: 'aws', displayName: 'Amazon Web Services' }, { id: 'gcp', displayName: 'Google Cloud' }] }),
      'GET /api/v1/pipelines': () =>
        json({ items: [{ id: 'p1', provider: 'aws', name: 'Platform rollout' }], nextCursor: null }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'New token' }));
    const form = await screen.findByRole('dialog', { name: 'New API token' });

    await user.click(within(form).getByRole('radio', { name: /Pipeline trigger/ }));
    const select = await within(form).findByRole('combobox', { name: /^Pipeline/ });
    await waitFor(() => expect(select).toHaveAttribute('placeholder', 'Choose a pipeline'));
    await user.click(select);
    await waitFor(() => expect(select).toHaveAttribute('aria-controls'));
    const listbox = document.getElementById(select.getAttribute('aria-controls')!)!;
    expect(await within(listbox).findByText('Amazon Web Services')).toBeInTheDocument();
    expect(within(listbox).queryByText('AWS')).not.toBeInTheDocument();
  });

  it('creates a pipeline trigger token for the pipeline chosen', async () => {
    const server = fakeFetch({
      'GET /api/v1/tokens': () => json([]),
      'GET /api/v1/pipelines': () =>
        json({
          items: [
            { id: 'p1', provider: 'aws', name: 'Platform rollout' },
            { id: 'p2', provider: 'gcp', name: 'Data lake' },
          ],
          nextCursor: null,
        }),
      'POST /api/v1/tokens': ({ body }) =>
        json({ token: SECRET, apiToken: token({ ...(body as object), id: 'new' }) }, 201),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'New token' }));
    const form = await screen.findByRole('dialog', { name: 'New API token' });
    await user.type(within(form).getByRole('textbox', { name: /^Name/ }), 'github actions');

    await user.click(within(form).getByRole('radio', { name: /Pipeline trigger/ }));
    const select = await within(form).findByRole('combobox', { name: /^Pipeline/ });
    await waitFor(() => expect(select).toHaveAttribute('placeholder', 'Choose a pipeline'));
    await user.click(select);
    await waitFor(() => expect(select).toHaveAttribute('aria-controls'));
    const listbox = document.getElementById(select.getAttribute('aria-controls')!)!;
    await user.click(await within(listbox).findByRole('option', { name: 'Data lake', hidden: true }));
    await waitFor(() => expect(select).toHaveValue('Data lake'));
    await user.click(within(form).getByRole('button', { name: 'Create token' }));

    expect(await screen.findByRole('dialog', { name: 'Copy your new token' })).toBeInTheDocument();
    expect(server.calls('GET /api/v1/pipelines')[0]!.url.searchParams.get('provider')).toBeNull();
    expect(server.calls('POST /api/v1/tokens')[0]!.body).toEqual({
      name: 'github actions',
      kind: 'pipeline',
      pipelineId: 'p2',
      expiresInDays: 90,
    });
  });

  it('puts a 400 at its field', async () => {
    fakeFetch({
      'GET /api/v1/tokens': () => json([]),
      'POST /api/v1/tokens': () =>
        problem(400, { title: 'One or more validation errors occurred.', errors: { name: ['Name is required.'] } }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'New token' }));
    const form = await screen.findByRole('dialog', { name: 'New API token' });

    await user.click(within(form).getByRole('button', { name: 'Create token' }));

    await waitFor(() =>
      expect(within(form).getByRole('textbox', { name: /^Name/ })).toHaveAccessibleDescription(/Name is required\./),
    );
    expect(screen.queryByRole('dialog', { name: 'Copy your new token' })).not.toBeInTheDocument();
  });

  it('a viewer may create personal tokens only', async () => {
    fakeFetch({ 'GET /api/v1/tokens': () => json([]) });
    const { user } = renderPage('viewer');

    await user.click(await screen.findByRole('button', { name: 'New token' }));
    const form = await screen.findByRole('dialog', { name: 'New API token' });

    expect(within(form).getByRole('radio', { name: /Personal/ })).toBeChecked();
    expect(within(form).getByRole('radio', { name: /Pipeline trigger/ })).toBeDisabled();
    expect(form).toHaveTextContent('Needs the operator role');
  });

  it('revokes a token only after confirmation', async () => {
    let revoked = false;
    const server = fakeFetch({
      'GET /api/v1/tokens': () => json([token(revoked ? { revokedAt: '2026-11-23T10:00:00Z' } : {})]),
      'DELETE /api/v1/tokens/t1': () => {
        revoked = true;
        return noContent();
      },
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Revoke report script' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke token' });
    expect(server.calls('DELETE /api/v1/tokens/t1')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    const table = screen.getByRole('table', { name: 'API tokens' });
    await waitFor(() => expect(within(table).getByRole('row', { name: /report script/ })).toHaveTextContent('Revoked'));
    expect(server.calls('DELETE /api/v1/tokens/t1')).toHaveLength(1);
    expect(server.calls('DELETE /api/v1/tokens/t1')[0]!.headers.get('X-Amnify-Client')).toBe('spa');
  });
});
