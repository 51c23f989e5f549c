import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { renderWithApp } from '../../../test/render';
import type { PipelineSummary } from '../api/pipeline-queries';
import { pipeline } from '../test/pipeline-fixtures';
import { PipelinesPage } from './pipelines-page';

function summary(overrides: Partial<PipelineSummary> = {}): PipelineSummary {
  return {
    id: 'p1',
    provider: 'aws',
    name: 'Platform rollout',
    description: 'Network, database, application',
    stepCount: 3,
    lastRunStatus: 'completed',
    lastRunId: 'r1',
    updatedAt: '2026-11-21T10:00:00Z',
    ...overrides,
  };
}

const renderPage = (route = '/aws/pipelines') => renderWithApp(<PipelinesPage />, { route, path: '/:provider/pipelines' });

describe('PipelinesPage', () => {
  it('lists the pipelines of the provider with steps and last run status', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipelines': () =>
        json({
          items: [summary(), summary({ id: 'p2', name: 'Staging', stepCount: 0, lastRunStatus: undefined, lastRunId: null })],
          nextCursor: null,
        }),
    });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Pipelines' });
    expect(within(table).getByRole('link', { name: 'Platform rollout' })).toHaveAttribute('href', '/aws/pipelines/p1');
    expect(within(table).getByText('Completed')).toBeInTheDocument();
    expect(within(table).getByText('Never run')).toBeInTheDocument();
    expect(server.requests[0]!.url.searchParams.get('provider')).toBe('aws');
  });

  it('searches with q from the URL and loads more pages', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipelines': ({ url }) =>
        url.searchParams.get('cursor')
          ? json({ items: [summary({ id: 'p3', name: 'Prod two' })], nextCursor: null })
          : json({ items: [summary({ name: 'Prod one' })], nextCursor: 'c2' }),
    });
    const { user } = renderPage('/aws/pipelines?q=prod');

    expect(await screen.findByRole('searchbox', { name: 'Search pipelines' })).toHaveValue('prod');
    await screen.findByText('Prod one');
    expect(server.requests[0]!.url.searchParams.get('q')).toBe('prod');

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByText('Prod two')).toBeInTheDocument();
    expect(server.requests[1]!.url.searchParams.get('cursor')).toBe('c2');
  });

  it('invites to create the first pipeline when there is none', async () => {
    fakeFetch({ 'GET /api/v1/pipelines': () => json({ items: [], nextCursor: null }) });

    renderPage();

    expect(await screen.findByText('No pipelines yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create your first pipeline' })).toBeInTheDocument();
  });

  it('shows the error when the list fails', async () => {
    fakeFetch({ 'GET /api/v1/pipelines': () => problem(500, { title: 'Server error', detail: 'Database down.' }) });

    renderPage();

    expect(await screen.findByText('Database down.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('creates a pipeline and opens it', async () => {
    const server = fakeFetch({
      'GET /api/v1/pipelines': () => json({ items: [], nextCursor: null }),
      'POST /api/v1/pipelines': ({ body }) =>
        json(pipeline({ id: 'new', steps: [], ...(body as object) }), 201, { ETag: '"1"' }),
    });
    const { user, router } = renderPage();
    vi.spyOn(console, 'error').mockImplementation(() => {});

    await user.click(await screen.findByRole('button', { name: 'New Pipeline' }));
    const dialog = await screen.findByRole('dialog', { name: 'New pipeline' });
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Full Platform Rollout');
    await user.type(within(dialog).getByRole('textbox', { name: /Description/ }), 'Everything');
    await user.click(within(dialog).getByRole('button', { name: 'Create Pipeline' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/aws/pipelines/new'));
    expect(server.calls('POST /api/v1/pipelines')[0]!.body).toEqual({
      provider: 'aws',
      name: 'Full Platform Rollout',
      description: 'Everything',
    });
  });

  it('marks the name as required and counts both fields against the API’s limits', async () => {
    fakeFetch({ 'GET /api/v1/pipelines': () => json({ items: [], nextCursor: null }) });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'New Pipeline' }));
    const dialog = await screen.findByRole('dialog', { name: 'New pipeline' });
    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    expect(within(dialog).getByText('Name').closest('label')).toHaveTextContent('Name *');
    expect(within(dialog).getByText('Description').closest('label')).not.toHaveTextContent('*');
    expect(name).toHaveAttribute('maxLength', '200');

    await user.type(name, 'Prod');
    await user.type(within(dialog).getByRole('textbox', { name: /Description/ }), 'All of it');

    expect(within(dialog).getByText('4/200')).toBeInTheDocument();
    expect(within(dialog).getByText('9/2000')).toBeInTheDocument();
  });

  it('shows a duplicate name on the name field', async () => {
    fakeFetch({
      'GET /api/v1/pipelines': () => json({ items: [], nextCursor: null }),
      'POST /api/v1/pipelines': () =>
        problem(409, { title: 'Conflict', detail: "A pipeline named 'Prod' already exists for aws." }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'New Pipeline' }));
    const dialog = await screen.findByRole('dialog', { name: 'New pipeline' });
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Prod');
    await user.click(within(dialog).getByRole('button', { name: 'Create Pipeline' }));

    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(expect.stringContaining("A pipeline named 'Prod' already exists for aws."));
  });

  it('a viewer sees the pipelines but cannot create one', async () => {
    fakeFetch({ 'GET /api/v1/pipelines': () => json({ items: [summary()], nextCursor: null }) });

    renderWithApp(<PipelinesPage />, { route: '/aws/pipelines', path: '/:provider/pipelines', role: 'viewer' });

    expect(await screen.findByRole('link', { name: 'Platform rollout' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /new|create/i })).not.toBeInTheDocument();
  });
});
