import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, noContent, problem } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import type { Project } from '../api/project-queries';
import { ProjectsPage } from './projects-page';

function project(overrides: Partial<Project> = {}): Project {
  return {
    id: 'p1',
    provider: 'aws',
    name: 'web-shop',
    description: 'Storefront',
    tags: ['team-a'],
    createdAt: '2026-11-20T10:00:00Z',
    updatedAt: '2026-11-21T10:00:00Z',
    ...overrides,
  };
}

const renderPage = (route = '/aws/projects') => renderWithApp(<ProjectsPage />, { route, path: '/:provider/projects' });

describe('ProjectsPage', () => {
  it('lists the projects of the provider in the URL', async () => {
    const server = fakeFetch({
      'GET /api/v1/projects': () => json({ items: [project(), project({ id: 'p2', name: 'billing', tags: [] })], nextCursor: null }),
    });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Projects' });
    expect(within(table).getByText('web-shop')).toBeInTheDocument();
    expect(within(table).getByText('billing')).toBeInTheDocument();
    expect(within(table).getByText('team-a')).toBeInTheDocument();
    expect(server.requests[0]!.url.searchParams.get('provider')).toBe('aws');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('shows an empty state when there are no projects', async () => {
    fakeFetch({ 'GET /api/v1/projects': () => json({ items: [], nextCursor: null }) });

    renderPage();

    expect(await screen.findByText('No projects yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create your first project' })).toBeInTheDocument();
  });

  it("shows the problem's title and detail when the list fails", async () => {
    fakeFetch({
      'GET /api/v1/projects': () => problem(503, { title: 'Database unavailable', detail: 'Try again in a minute.' }),
    });

    renderPage();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Database unavailable');
    expect(alert).toHaveTextContent('Try again in a minute.');
  });

  it('searches with a debounced q that is kept in the URL', async () => {
    const server = fakeFetch({
      'GET /api/v1/projects': ({ url }) =>
        json({ items: url.searchParams.get('q') === 'bill' ? [project({ name: 'billing' })] : [project()], nextCursor: null }),
    });
    const { user } = renderPage();
    await screen.findByText('web-shop');

    await user.type(screen.getByRole('searchbox', { name: 'Search projects' }), 'bill');

    expect(await screen.findByText('billing')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/aws/projects?q=bill');
    const queries = server.calls('GET /api/v1/projects').map((r) => r.url.searchParams.get('q'));
    expect(queries).toEqual([null, 'bill']); // one request after typing stops, not one per key
  });

  it('starts from the q in the URL', async () => {
    const server = fakeFetch({ 'GET /api/v1/projects': () => json({ items: [], nextCursor: null }) });

    renderPage('/aws/projects?q=zzz');

    expect(await screen.findByText('No matching projects')).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search projects' })).toHaveValue('zzz');
    expect(server.requests[0]!.url.searchParams.get('q')).toBe('zzz');
  });

  it('loads the next page with the cursor and appends it', async () => {
    const server = fakeFetch({
      'GET /api/v1/projects': ({ url }) =>
        url.searchParams.get('cursor') === 'c2'
          ? json({ items: [project({ id: 'p2', name: 'second-page' })], nextCursor: null })
          : json({ items: [project()], nextCursor: 'c2' }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Load more' }));

    expect(await screen.findByText('second-page')).toBeInTheDocument();
    expect(screen.getByText('web-shop')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(server.calls('GET /api/v1/projects')[1]!.url.searchParams.get('cursor')).toBe('c2');
  });

  it("places a 400's field errors on the create form's fields", async () => {
    const server = fakeFetch({
      'GET /api/v1/projects': () => json({ items: [], nextCursor: null }),
      'POST /api/v1/projects': () =>
        problem(400, {
          title: 'One or more validation errors occurred.',
          errors: { name: ['Name must not be empty.'], description: ['Description is too long.'] },
        }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Create project' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create project' });

    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));

    const name = await within(dialog).findByRole('textbox', { name: 'Name' });
    await waitFor(() => expect(name).toHaveAccessibleDescription('Name must not be empty.'));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByRole('textbox', { name: 'Description' })).toHaveAccessibleDescription(
      'Description is too long.',
    );
    expect(server.calls('POST /api/v1/projects')[0]!.body).toMatchObject({ provider: 'aws', name: '' });
  });

  it('shows a duplicate-name conflict on the name field', async () => {
    fakeFetch({
      'GET /api/v1/projects': () => json({ items: [], nextCursor: null }),
      'POST /api/v1/projects': () =>
        problem(409, { title: 'Conflict', detail: 'A project named "web-shop" already exists for aws.' }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Create project' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create project' });

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'web-shop');
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));

    await waitFor(() =>
      expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(
        'A project named "web-shop" already exists for aws.',
      ),
    );
  });

  it('creates a project, closes the dialog and shows it in the list', async () => {
    let created: Project | null = null;
    const server = fakeFetch({
      'GET /api/v1/projects': () => json({ items: created ? [created] : [], nextCursor: null }),
      'POST /api/v1/projects': ({ body }) => {
        const { name, description, tags } = body as Project;
        created = project({ id: 'new', name, description, tags });
        return json(created, 201);
      },
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Create project' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create project' });

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'payments');
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Card payments');
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));

    expect(await screen.findByRole('cell', { name: 'payments' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Create project' })).not.toBeInTheDocument());
    expect(server.calls('POST /api/v1/projects')[0]!.body).toEqual({
      provider: 'aws',
      name: 'payments',
      description: 'Card payments',
      tags: [],
    });
  });

  it('edits a project with PATCH', async () => {
    const server = fakeFetch({
      'GET /api/v1/projects': () => json({ items: [project()], nextCursor: null }),
      'PATCH /api/v1/projects/p1': ({ body }) => json({ ...project(), ...(body as object) }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Edit web-shop' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit project' });

    const description = within(dialog).getByRole('textbox', { name: 'Description' });
    expect(description).toHaveValue('Storefront');
    await user.clear(description);
    await user.type(description, 'New storefront');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(server.calls('PATCH /api/v1/projects/p1')).toHaveLength(1));
    expect(server.calls('PATCH /api/v1/projects/p1')[0]!.body).toEqual({
      name: 'web-shop',
      description: 'New storefront',
      tags: ['team-a'],
    });
  });

  it('deletes a project only after confirmation', async () => {
    let deleted = false;
    const server = fakeFetch({
      'GET /api/v1/projects': () => json({ items: deleted ? [] : [project()], nextCursor: null }),
      'DELETE /api/v1/projects/p1': () => {
        deleted = true;
        return noContent();
      },
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Delete web-shop' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete project' });
    expect(server.calls('DELETE /api/v1/projects/p1')).toHaveLength(0);

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(await screen.findByText('No projects yet')).toBeInTheDocument();
    expect(server.calls('DELETE /api/v1/projects/p1')).toHaveLength(1);
  });

  describe('by role', () => {
    it('a viewer sees the projects but no create, edit or delete buttons', async () => {
      fakeFetch({ 'GET /api/v1/projects': () => json({ items: [project()], nextCursor: null }) });

      renderWithApp(<ProjectsPage />, { route: '/aws/projects', path: '/:provider/projects', role: 'viewer' });

      expect(await screen.findByRole('cell', { name: 'web-shop' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /create|edit|delete/i })).not.toBeInTheDocument();
    });

    it('a viewer is not invited to create the first project', async () => {
      fakeFetch({ 'GET /api/v1/projects': () => json({ items: [], nextCursor: null }) });

      renderWithApp(<ProjectsPage />, { route: '/aws/projects', path: '/:provider/projects', role: 'viewer' });

      expect(await screen.findByText('No projects yet')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /create/i })).not.toBeInTheDocument();
    });

    it('an operator may create, edit and delete', async () => {
      fakeFetch({ 'GET /api/v1/projects': () => json({ items: [project()], nextCursor: null }) });

      renderWithApp(<ProjectsPage />, { route: '/aws/projects', path: '/:provider/projects', role: 'operator' });

      expect(await screen.findByRole('button', { name: 'Edit web-shop' })).toBeEnabled();
      expect(screen.getByRole('button', { name: 'Delete web-shop' })).not.toHaveAttribute('aria-disabled');
      expect(screen.getByRole('button', { name: 'Create project' })).not.toHaveAttribute('aria-disabled');
    });
  });
});
