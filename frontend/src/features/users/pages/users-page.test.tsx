import { notifications } from '@mantine/notifications';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { me, page } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import type { User } from '../api/user-queries';
import { UsersPage } from './users-page';

const admin = me();

function user(overrides: Partial<User> = {}): User {
  return {
    id: 'u2',
    email: 'val@example.com',
    displayName: 'Val Viewer',
    role: 'viewer',
    disabled: false,
    createdAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

const self: User = { ...user(), id: admin.id, email: admin.email, displayName: admin.displayName, role: 'admin' };
const renderPage = (role: 'admin' | 'approver' = 'admin') => renderWithApp(<UsersPage />, { route: '/users', path: '/users', role });

describe('UsersPage', () => {
  afterEach(() => {
    notifications.clean();
    notifications.cleanQueue();
  });

  it('lists the users with role and status; the admin cannot demote or disable themselves', async () => {
    fakeFetch({ 'GET /api/v1/users': () => json(page([self, user(), user({ id: 'u3', email: 'old@example.com', disabled: true })])) });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Users' });
    expect(within(table).getByRole('combobox', { name: 'Role of val@example.com' })).toHaveValue('viewer');
    expect(within(table).getByRole('row', { name: /val@example.com/ })).toHaveTextContent('Active');
    expect(within(table).getByRole('row', { name: /old@example.com/ })).toHaveTextContent('Disabled');
    expect(within(table).getByRole('button', { name: 'Enable old@example.com' })).toBeInTheDocument();
    expect(within(table).getByRole('combobox', { name: `Role of ${admin.email}` })).toBeDisabled();
    expect(within(table).getByRole('button', { name: `Disable ${admin.email}` })).toHaveAttribute('aria-disabled', 'true');
  });

  it('changes a role inline with PATCH', async () => {
    const server = fakeFetch({
      'GET /api/v1/users': () => json(page([self, user()])),
      'PATCH /api/v1/users/u2': ({ body }) => json(user(body as Partial<User>)),
    });
    const { user: actor } = renderPage();

    await actor.selectOptions(await screen.findByRole('combobox', { name: 'Role of val@example.com' }), 'operator');

    await waitFor(() => expect(server.calls('PATCH /api/v1/users/u2')).toHaveLength(1));
    expect(server.calls('PATCH /api/v1/users/u2')[0]!.body).toEqual({ role: 'operator' });
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Role of val@example.com' })).toHaveValue('operator'));
  });

  it('disables and enables a user', async () => {
    const server = fakeFetch({
      'GET /api/v1/users': () => json(page([self, user()])),
      'PATCH /api/v1/users/u2': ({ body }) => json(user(body as Partial<User>)),
    });
    const { user: actor } = renderPage();

    await actor.click(await screen.findByRole('button', { name: 'Disable val@example.com' }));

    expect(await screen.findByRole('button', { name: 'Enable val@example.com' })).toBeInTheDocument();
    expect(server.calls('PATCH /api/v1/users/u2')[0]!.body).toEqual({ disabled: true });
  });

  it('adds a user; the API messages land on the fields', async () => {
    let added: User | null = null;
    const server = fakeFetch({
      'GET /api/v1/users': () => json(page(added ? [self, added] : [self])),
      'POST /api/v1/users': ({ body }) => {
        const values = body as User & { password: string };
        if (values.password.length < 12) {
          return problem(400, {
            title: 'One or more validation errors occurred.',
            errors: { password: ['Password must be at least 12 characters.'] },
          });
        }
        added = user({ id: 'u9', email: values.email, displayName: values.displayName, role: values.role });
        return json(added, 201);
      },
    });
    const { user: actor } = renderPage();
    await actor.click(await screen.findByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add user' });
    await actor.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'olga@example.com');
    await actor.type(within(dialog).getByRole('textbox', { name: 'Display name' }), 'Olga Operator');
    await actor.selectOptions(within(dialog).getByRole('combobox', { name: /^Role/ }), 'operator');
    const password = within(dialog).getByLabelText(/^Password/);
    await actor.type(password, 'short');
    await actor.click(within(dialog).getByRole('button', { name: 'Add user' }));

    await waitFor(() => expect(password).toHaveAccessibleDescription(/Password must be at least 12 characters\./));
    await actor.type(password, '-but-now-long-enough');
    await actor.click(within(dialog).getByRole('button', { name: 'Add user' }));

    expect(await screen.findByRole('combobox', { name: 'Role of olga@example.com' })).toHaveValue('operator');
    expect(server.calls('POST /api/v1/users')[1]!.body).toEqual({
      email: 'olga@example.com',
      displayName: 'Olga Operator',
      role: 'operator',
      password: 'short-but-now-long-enough',
    });
  });

  it('is for admins only', async () => {
    const server = fakeFetch({});

    renderPage('approver');

    expect(await screen.findByText('Not available with your role')).toBeInTheDocument();
    expect(screen.getByText('This page needs the admin role.')).toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });
});
