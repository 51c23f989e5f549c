import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { me } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { accessKeys } from '../api/me-queries';
import { LoginPage } from './login-page';

const renderPage = (route = '/login?next=%2Faws%2Fprojects%3Fq%3Dweb') =>
  renderWithApp(<LoginPage />, { route, path: '/login', me: null });

async function signIn(user: ReturnType<typeof renderPage>['user'], email: string, password: string) {
  if (email) await user.type(screen.getByRole('textbox', { name: 'Email' }), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginPage', () => {
  it('drops everything cached under the previous session', async () => {
    fakeFetch({});
    // Rendered with a signed-in user in the cache, as after a session expired.
    const { queryClient } = renderWithApp(<LoginPage />, { route: '/login', path: '/login' });

    await waitFor(() => expect(queryClient.getQueryCache().getAll()).toHaveLength(0));
    expect(screen.getByRole('heading', { name: 'Sign in to Amnify Deploy' })).toBeInTheDocument();
  });

  it("places a 400's messages on the email and password fields", async () => {
    fakeFetch({
      'POST /api/v1/auth/login': () =>
        problem(400, {
          title: 'One or more validation errors occurred.',
          errors: { email: ['Email is required.'], password: ['Password is required.'] },
        }),
    });
    const { user } = renderPage();

    await signIn(user, '', '');

    const email = screen.getByRole('textbox', { name: 'Email' });
    await waitFor(() => expect(email).toHaveAccessibleDescription('Email is required.'));
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Password is required.');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/login\?next=/);
  });

  it('shows why a 401 refused the sign-in, and stays on the page (no redirect loop)', async () => {
    const server = fakeFetch({
      'POST /api/v1/auth/login': () =>
        problem(401, { title: 'Sign-in failed', detail: 'The email or password is wrong, or the account is disabled.' }),
    });
    const { user } = renderPage();

    await signIn(user, 'ada@example.com', 'wrong-password');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Sign-in failed');
    expect(alert).toHaveTextContent('The email or password is wrong, or the account is disabled.');
    expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Faws%2Fprojects%3Fq%3Dweb');
    expect(server.calls('POST /api/v1/auth/login')[0]!.body).toEqual({ email: 'ada@example.com', password: 'wrong-password' });
  });

  it('says so when the account is locked (429)', async () => {
    fakeFetch({
      'POST /api/v1/auth/login': () =>
        problem(429, { title: 'Account locked', detail: 'Too many failed sign-ins: the account is locked for 15 minutes.' }),
    });
    const { user } = renderPage();

    await signIn(user, 'ada@example.com', 'wrong-password');

    expect(await screen.findByRole('alert')).toHaveTextContent('the account is locked for 15 minutes');
  });

  it('signs in, remembers who is signed in and goes back to `next`', async () => {
    const server = fakeFetch({ 'POST /api/v1/auth/login': () => json(me({ displayName: 'Ada' })) });
    const { user, queryClient } = renderPage();
    await waitFor(() => expect(queryClient.getQueryCache().getAll()).toHaveLength(0));

    await signIn(user, ' ada@example.com ', 'correct horse battery');

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/aws\/projects\?q=web$/));
    expect(queryClient.getQueryData(accessKeys.me)).toMatchObject({ displayName: 'Ada', role: 'admin' });
    expect(server.calls('POST /api/v1/auth/login')[0]!.body).toEqual({
      email: 'ada@example.com',
      password: 'correct horse battery',
    });
    expect(server.calls('POST /api/v1/auth/login')[0]!.headers.get('X-Amnify-Client')).toBe('spa');
  });

  it('never follows a `next` that leads to another site', async () => {
    fakeFetch({ 'POST /api/v1/auth/login': () => json(me()) });
    const { user } = renderPage('/login?next=%2F%2Fevil.example%2Fphish');

    await signIn(user, 'ada@example.com', 'correct horse battery');

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/));
  });
});
