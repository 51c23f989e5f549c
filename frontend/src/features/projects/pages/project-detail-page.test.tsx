import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../../test/fake-fetch';
import { deployment, page, project } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { ProjectDetailPage } from './project-detail-page';

const p = project();

function renderPage(deployments = [deployment()]) {
  const server = fakeFetch({
    [`GET /api/v1/projects/${p.id}`]: () => json(p),
    'GET /api/v1/deployments': () => json(page(deployments)),
  });
  renderWithApp(<ProjectDetailPage />, { route: `/aws/projects/${p.id}`, path: '/:provider/projects/:projectId' });
  return server;
}

describe('ProjectDetailPage', () => {
  it("lists the project's deployments with links to them, their template and cloud environment", async () => {
    const server = renderPage();

    const table = await screen.findByRole('table', { name: 'Deployments of the project' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getByRole('link', { name: 'orders-db' })).toHaveAttribute('href', `/aws/deployments/${deployment().id}`);
    expect(within(row).getByRole('link', { name: 'RDS PostgreSQL' })).toHaveAttribute('href', '/aws/templates/aws-database');
    expect(within(row).getByRole('link', { name: 'production' })).toHaveAttribute('href', '/aws/cloud-environments?q=production');
    expect(server.calls('GET /api/v1/deployments')[0]!.url.searchParams.get('projectId')).toBe(p.id);
  });

  it('marks a deployment whose changes are not applied', async () => {
    renderPage([deployment({ status: 'deployed', changesNotApplied: true })]);

    const table = await screen.findByRole('table', { name: 'Deployments of the project' });
    expect(within(table).getByText('Changes not applied')).toBeInTheDocument();
  });

  it('says when the project has no deployments', async () => {
    renderPage([]);

    expect(await screen.findByText('This project has no deployments yet.')).toBeInTheDocument();
  });
});
