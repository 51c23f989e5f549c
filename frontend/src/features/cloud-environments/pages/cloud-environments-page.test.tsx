import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { cloudEnvironment } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import type { CloudEnvironment } from '../api/cloud-environment-queries';
import { CloudEnvironmentsPage } from './cloud-environments-page';

function environment(overrides: Partial<CloudEnvironment> = {}): CloudEnvironment {
  return {
    id: 'e1',
    provider: 'aws',
    name: 'prod',
    region: 'eu-west-1',
    accountId: '123456789012',
    credentialKeys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    approvalPolicy: cloudEnvironment().approvalPolicy,
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
    ...overrides,
  };
}

const renderPage = () =>
  renderWithApp(<CloudEnvironmentsPage />, { route: '/aws/cloud-environments', path: '/:provider/cloud-environments' });

describe('CloudEnvironmentsPage', () => {
  it('lists environments with their credential names marked as set', async () => {
    fakeFetch({ 'GET /api/v1/cloud-environments': () => json({ items: [environment()], nextCursor: null }) });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Cloud environments' });
    const row = within(table).getByRole('row', { name: /prod/ });
    expect(row).toHaveTextContent('eu-west-1');
    expect(row).toHaveTextContent('AWS_ACCESS_KEY_ID: set');
    expect(row).toHaveTextContent('AWS_SECRET_ACCESS_KEY: set');
    expect(within(table).getByRole('columnheader', { name: 'Account ID' })).toBeInTheDocument();
  });

  it('edits credentials: a removed one is sent as null, an untouched one is not sent, a new one is set', async () => {
    const server = fakeFetch({
      'GET /api/v1/cloud-environments': () => json({ items: [environment()], nextCursor: null }),
      'PATCH /api/v1/cloud-environments/e1': () => json(environment({ credentialKeys: ['AWS_ACCESS_KEY_ID', 'AWS_REGION'] })),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Edit prod' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit cloud environment' });

    // Stored values are never shown: the inputs start empty.
    expect(within(dialog).getByLabelText('New value for AWS_ACCESS_KEY_ID')).toHaveValue('');
    await user.click(within(dialog).getByRole('button', { name: 'Remove AWS_SECRET_ACCESS_KEY' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add credential' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Variable name (credential 1)' }), 'AWS_REGION');
    await user.type(within(dialog).getByLabelText('Value (credential 1)'), 'eu-west-1');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(server.calls('PATCH /api/v1/cloud-environments/e1')).toHaveLength(1));
    expect(server.calls('PATCH /api/v1/cloud-environments/e1')[0]!.body).toEqual({
      name: 'prod',
      region: 'eu-west-1',
      accountId: '123456789012',
      credentials: { AWS_SECRET_ACCESS_KEY: null, AWS_REGION: 'eu-west-1' },
    });
  });

  it('sets a new value for a stored credential only when one is typed', async () => {
    const server = fakeFetch({
      'GET /api/v1/cloud-environments': () => json({ items: [environment()], nextCursor: null }),
      'PATCH /api/v1/cloud-environments/e1': () => json(environment()),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Edit prod' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit cloud environment' });

    await user.type(within(dialog).getByLabelText('New value for AWS_SECRET_ACCESS_KEY'), 'rotated');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(server.calls('PATCH /api/v1/cloud-environments/e1')).toHaveLength(1));
    expect(server.calls('PATCH /api/v1/cloud-environments/e1')[0]!.body).toMatchObject({
      credentials: { AWS_SECRET_ACCESS_KEY: 'rotated' },
    });
  });

  it("places the API's messages on the name field and on the credential's value", async () => {
    const server = fakeFetch({
      'GET /api/v1/cloud-environments': () => json({ items: [], nextCursor: null }),
      'POST /api/v1/cloud-environments': () =>
        problem(400, {
          title: 'One or more validation errors occurred.',
          errors: {
            name: ["'Name' must not be empty."],
            'credentials.AWS_ACCESS_KEY_ID': ['Value is too long.'],
          },
        }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Create cloud environment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create cloud environment' });

    await user.type(within(dialog).getByRole('textbox', { name: 'Variable name (credential 1)' }), 'AWS_ACCESS_KEY_ID');
    await user.type(within(dialog).getByLabelText('Value (credential 1)'), 'AKIA-SECRET');
    // The empty name is not blocked in the browser: the server's message is the one shown.
    await user.click(within(dialog).getByRole('button', { name: 'Create cloud environment' }));

    await waitFor(() =>
      expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(
        "'Name' must not be empty.",
      ),
    );
    expect(within(dialog).getByLabelText('Value (credential 1)')).toHaveAccessibleDescription('Value is too long.');
    expect(server.calls('POST /api/v1/cloud-environments')[0]!.body).toEqual({
      provider: 'aws',
      name: '',
      region: '',
      accountId: '',
      credentials: { AWS_ACCESS_KEY_ID: 'AKIA-SECRET' },
    });
  });

  it('asks for the variable name of a credential that has only a value, without calling the API', async () => {
    const server = fakeFetch({ 'GET /api/v1/cloud-environments': () => json({ items: [], nextCursor: null }) });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Create cloud environment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create cloud environment' });

    await user.type(within(dialog).getByLabelText('Value (credential 1)'), 'orphan');
    await user.click(within(dialog).getByRole('button', { name: 'Create cloud environment' }));

    expect(
      await within(dialog).findByRole('textbox', { name: 'Variable name (credential 1)' }),
    ).toHaveAccessibleDescription('Enter the variable name');
    expect(server.calls('POST /api/v1/cloud-environments')).toHaveLength(0);
  });

  describe('by role', () => {
    const renderAs = (role: 'viewer' | 'operator') =>
      renderWithApp(<CloudEnvironmentsPage />, {
        route: '/aws/cloud-environments',
        path: '/:provider/cloud-environments',
        role,
      });

    it('a viewer sees the environments and no buttons to change them', async () => {
      fakeFetch({ 'GET /api/v1/cloud-environments': () => json({ items: [environment()], nextCursor: null }) });

      renderAs('viewer');

      expect(await screen.findByRole('table', { name: 'Cloud environments' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /create|edit|delete/i })).not.toBeInTheDocument();
    });

    it('an operator sees them disabled, with the admin role named as needed', async () => {
      fakeFetch({ 'GET /api/v1/cloud-environments': () => json({ items: [environment()], nextCursor: null }) });
      const { user } = renderAs('operator');

      const edit = await screen.findByRole('button', { name: 'Edit prod' });
      expect(edit).toHaveAttribute('aria-disabled', 'true');
      expect(screen.getByRole('button', { name: 'Delete prod' })).toHaveAttribute('aria-disabled', 'true');
      const create = screen.getByRole('button', { name: 'Create cloud environment' });
      expect(create).toHaveAttribute('aria-disabled', 'true');

      await user.hover(create);
      expect(await screen.findByRole('tooltip', { hidden: true })).toHaveTextContent('Needs the admin role');
      await user.click(create);
      await user.click(edit);
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
  });
});
