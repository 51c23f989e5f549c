import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { deployment, page } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { DeploymentsPage } from './deployments-page';

const renderPage = (route = '/aws/deployments') => renderWithApp(<DeploymentsPage />, { route, path: '/:provider/deployments' });

describe('DeploymentsPage', () => {
  it('lists deployments with project, template and a readable status, linking to each', async () => {
    const server = fakeFetch({
      'GET /api/v1/deployments': () =>
        json(
          page([
            deployment(),
            deployment({ id: 'd2', name: 'core-network', templateName: 'VPC network', status: 'awaitingApproval' }),
            deployment({ id: 'd3', name: 'cache', status: 'needsConfiguration' }),
          ]),
        ),
    });

    renderPage();

    const table = await screen.findByRole('table', { name: 'Deployments' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(/orders-db.*web-shop.*RDS PostgreSQL.*Never deployed/);
    expect(rows[1]).toHaveTextContent(/core-network.*VPC network.*Awaiting approval/);
    expect(rows[2]).toHaveTextContent('Needs configuration');
    expect(within(rows[1]!).getByRole('link', { name: 'core-network' })).toHaveAttribute('href', '/aws/deployments/d2');
    expect(screen.getByRole('link', { name: 'New deployment' })).toHaveAttribute('href', '/aws/deployments/new');
    expect(server.requests[0]!.url.searchParams.get('provider')).toBe('aws');
  });

  it('loads the next page with the cursor', async () => {
    fakeFetch({
      'GET /api/v1/deployments': ({ url }) =>
        json(url.searchParams.get('cursor') === 'c2' ? page([deployment({ id: 'd2', name: 'second-page' })]) : page([deployment()], 'c2')),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Load more' }));

    expect(await screen.findByText('second-page')).toBeInTheDocument();
    expect(screen.getByText('orders-db')).toBeInTheDocument();
  });

  it('offers to create the first deployment when there is none', async () => {
    fakeFetch({ 'GET /api/v1/deployments': () => json(page([])) });

    renderPage();

    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create your first deployment' })).toHaveAttribute('href', '/aws/deployments/new');
  });

  it('a viewer sees the deployments but nothing to create one with', async () => {
    fakeFetch({ 'GET /api/v1/deployments': () => json(page([deployment()])) });

    renderWithApp(<DeploymentsPage />, { route: '/aws/deployments', path: '/:provider/deployments', role: 'viewer' });

    expect(await screen.findByRole('link', { name: 'orders-db' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /new deployment|create/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /new|create/i })).not.toBeInTheDocument();
  });
});
