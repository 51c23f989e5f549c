import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProjectsPage } from '../../features/projects/pages/projects-page';
import { fakeFetch, json, problem } from '../../test/fake-fetch';
import { me, page, project } from '../../test/fixtures';
import { renderWithApp } from '../../test/render';
import { RequireSession } from './require-session';

const notSignedIn = () => problem(401, { title: 'Unauthorized' });

describe('session handling', () => {
  it('loads who is signed in before showing the page', async () => {
    let answer: (response: Response) => void = () => {};
    fakeFetch({ 'GET /api/v1/me': () => new Promise<Response>((resolve) => (answer = resolve)) });

    renderWithApp(<RequireSession />, { route: '/aws/projects', path: '/:provider/*', me: null });

    expect(await screen.findByLabelText('Loading')).toBeInTheDocument();
    answer(json(me()));
    await waitFor(() => expect(screen.queryByLabelText('Loading')).not.toBeInTheDocument());
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/aws\/projects$/);
  });

  it('sends a visitor who is not signed in to the sign-in page, remembering the page', async () => {
    fakeFetch({ 'GET /api/v1/me': notSignedIn });

    renderWithApp(<RequireSession />, { route: '/aws/deployments?q=db', path: '/:provider/*', me: null });

    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(/^\/login\?next=%2Faws%2Fdeployments%3Fq%3Ddb$/),
    );
  });

  it('a 401 from any query sends the user to sign in, with the page as next', async () => {
    fakeFetch({ 'GET /api/v1/projects': notSignedIn });

    renderWithApp(<ProjectsPage />, { route: '/aws/projects?q=web', path: '/:provider/projects' });

    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(/^\/login\?next=%2Faws%2Fprojects%3Fq%3Dweb$/),
    );
  });

  it('a 401 from a mutation (the session ended meanwhile) does the same', async () => {
    fakeFetch({ 'GET /api/v1/projects': () => json(page([project()])), 'POST /api/v1/projects': notSignedIn });
    const { user } = renderWithApp(<ProjectsPage />, { route: '/aws/projects', path: '/:provider/projects' });
    await user.click(await screen.findByRole('button', { name: 'Create project' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create project' });

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'payments');
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/login\?next=%2Faws%2Fprojects$/));
  });

  it('a 403 is shown where it happened, not treated as signed out', async () => {
    fakeFetch({ 'GET /api/v1/projects': () => problem(403, { title: 'Forbidden', detail: 'Needs the operator role.' }) });

    renderWithApp(<ProjectsPage />, { route: '/aws/projects', path: '/:provider/projects' });

    expect(await screen.findByRole('alert')).toHaveTextContent('Needs the operator role.');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/aws\/projects$/);
  });
});
