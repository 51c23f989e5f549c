import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { deployment, page, run } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { DeploymentDetailPage } from './deployment-detail-page';

const id = deployment().id;
const renderPage = () =>
  // `:section` so that the page can navigate to a run (`/aws/runs/…`) and the location probe shows it.
  renderWithApp(<DeploymentDetailPage />, { route: `/aws/deployments/${id}`, path: '/:provider/:section/:id' });

function routes(overrides: Parameters<typeof fakeFetch>[0] = {}) {
  return fakeFetch({
    [`GET /api/v1/deployments/${id}`]: () => json(deployment()),
    [`GET /api/v1/deployments/${id}/runs`]: () => json(page([])),
    ...overrides,
  });
}

describe('DeploymentDetailPage', () => {
  it('shows the deployment, lists a sensitive variable as set without its value, and the run history', async () => {
    routes({
      [`GET /api/v1/deployments/${id}/runs`]: () =>
        json(
          page([
            run({ id: 'r2', operation: 'destroy', status: 'awaitingPlanApproval' }),
            run({ id: 'r1', status: 'completed', finishedAt: '2026-11-21T10:05:00Z' }),
          ]),
        ),
    });

    renderPage();

    expect(await screen.findByRole('heading', { level: 1, name: 'orders-db' })).toBeInTheDocument();
    const overview = screen.getByRole('region', { name: 'Overview' });
    expect(within(overview).getByText('Never deployed')).toBeInTheDocument();
    expect(within(overview).getByText('web-shop')).toBeInTheDocument();
    expect(within(overview).getByText('RDS PostgreSQL')).toBeInTheDocument();
    expect(within(overview).getByText('production')).toBeInTheDocument();
    expect(within(overview).getByText('team-a')).toBeInTheDocument();
    const variables = screen.getByRole('table', { name: 'Variables' });
    expect(within(variables).getByRole('row', { name: /admin_password/ })).toHaveTextContent(/^admin_passwordset$/);
    expect(within(variables).getByRole('row', { name: /engine_version/ })).toHaveTextContent('16');

    const history = await screen.findByRole('table', { name: 'Run history' });
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(/Destroy.*Awaiting plan approval.*alice@example\.com/);
    expect(rows[1]).toHaveTextContent(/Execute.*Completed/);
    expect(within(rows[0]!).getByRole('link', { name: /View run/ })).toHaveAttribute('href', '/aws/runs/r2');
  });

  it('links the project and template to their pages and the cloud environment to where it is listed', async () => {
    routes();

    renderPage();

    const overview = await screen.findByRole('region', { name: 'Overview' });
    expect(within(overview).getByRole('link', { name: 'web-shop' })).toHaveAttribute(
      'href',
      '/aws/projects/11111111-1111-1111-1111-111111111111',
    );
    expect(within(overview).getByRole('link', { name: 'RDS PostgreSQL' })).toHaveAttribute(
      'href',
      '/aws/templates/aws-database',
    );
    expect(within(overview).getByRole('link', { name: 'production' })).toHaveAttribute(
      'href',
      '/aws/cloud-environments?q=production',
    );
  });

  it('shows how long each finished run took', async () => {
    routes({
      [`GET /api/v1/deployments/${id}/runs`]: () =>
        json(page([run({ id: 'r1', status: 'completed', startedAt: '2026-11-21T10:00:00Z', finishedAt: '2026-11-21T10:00:42Z' })])),
    });

    renderPage();

    const history = await screen.findByRole('table', { name: 'Run history' });
    expect(within(history).getByRole('columnheader', { name: 'Duration' })).toBeInTheDocument();
    expect(within(history).getByText('42s')).toBeInTheDocument();
  });

  it('names the variables a deployment that needs configuration lacks, with a link to edit it', async () => {
    routes({
      [`GET /api/v1/deployments/${id}`]: () =>
        json(deployment({ status: 'needsConfiguration', missingVariables: ['admin_password', 'engine_version'] })),
    });

    renderPage();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Needs configuration');
    expect(alert).toHaveTextContent('admin_password, engine_version');
    expect(within(alert).getByRole('link', { name: 'you edit it' })).toHaveAttribute('href', `/aws/deployments/${id}/edit`);
  });

  it('executes and opens the run page', async () => {
    const server = routes({
      [`POST /api/v1/deployments/${id}/runs`]: () => json(run({ id: 'r9' }), 202),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Execute' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/aws/runs/r9'));
    expect(server.calls(`POST /api/v1/deployments/${id}/runs`)[0]!.body).toEqual({ operation: 'execute' });
  });

  it("shows why a run cannot start (409's detail)", async () => {
    routes({
      [`POST /api/v1/deployments/${id}/runs`]: () =>
        problem(409, { title: 'Conflict', detail: 'The deployment needs configuration: admin_password has no value.' }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Execute' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The deployment needs configuration: admin_password has no value.');
  });

  it('enables Destroy only once the deployment name is typed', async () => {
    const server = routes({
      [`POST /api/v1/deployments/${id}/runs`]: () => json(run({ id: 'r10', operation: 'destroy' }), 202),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Destroy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Destroy deployment' });
    const confirm = within(dialog).getByRole('button', { name: 'Destroy' });
    const input = within(dialog).getByRole('textbox', { name: 'Deployment name to confirm' });

    expect(confirm).toBeDisabled();
    await user.type(input, 'orders-d');
    expect(confirm).toBeDisabled();
    await user.type(input, 'b');
    expect(confirm).toBeEnabled();
    expect(server.calls(`POST /api/v1/deployments/${id}/runs`)).toHaveLength(0);

    await user.click(confirm);

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/aws/runs/r10'));
    expect(server.calls(`POST /api/v1/deployments/${id}/runs`)[0]!.body).toEqual({ operation: 'destroy' });
  });

  it("shows why a deployment cannot be deleted (409's detail) in the confirm dialog", async () => {
    routes({
      [`DELETE /api/v1/deployments/${id}`]: () =>
        problem(409, { title: 'Conflict', detail: 'Destroy its infrastructure first: the deployment is deployed.' }),
    });
    const { user } = renderPage();
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete deployment' });

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Destroy its infrastructure first: the deployment is deployed.',
    );
  });

  describe('by role', () => {
    const renderAs = (role: 'viewer' | 'operator') =>
      renderWithApp(<DeploymentDetailPage />, { route: `/aws/deployments/${id}`, path: '/:provider/:section/:id', role });

    it('a viewer sees the deployment but no edit, execute, destroy or delete buttons', async () => {
      routes({
        [`GET /api/v1/deployments/${id}`]: () =>
          json(deployment({ status: 'needsConfiguration', missingVariables: ['admin_password'] })),
        [`GET /api/v1/deployments/${id}/runs`]: () => json(page([run({ id: 'r1', status: 'completed' })])),
      });

      renderAs('viewer');

      expect(await screen.findByRole('heading', { level: 1, name: 'orders-db' })).toBeInTheDocument();
      expect(await screen.findByRole('table', { name: 'Run history' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /edit|execute|destroy|delete/i })).not.toBeInTheDocument();
      expect(screen.queryByRole('link', { name: /edit/i })).not.toBeInTheDocument();
      expect(screen.getByRole('alert')).toHaveTextContent('It cannot run until someone edits it');
    });

    it('an operator may edit, execute, destroy and delete', async () => {
      routes();

      renderAs('operator');

      expect(await screen.findByRole('link', { name: 'Edit' })).toHaveAttribute('href', `/aws/deployments/${id}/edit`);
      for (const name of ['Execute', 'Destroy', 'Delete']) {
        expect(screen.getByRole('button', { name })).not.toHaveAttribute('aria-disabled');
      }
    });
  });
});
