import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { template } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import type { Template } from '../api/template-queries';
import { TemplateDetailPage } from './template-detail-page';

function renderPage(body: Template | null) {
  fakeFetch({
    'GET /api/v1/templates/aws-database': () => (body ? json(body) : problem(404, { title: 'Not found' })),
  });
  return renderWithApp(<TemplateDetailPage />, { route: '/aws/templates/aws-database', path: '/:provider/templates/:templateId' });
}

describe('TemplateDetailPage', () => {
  it('lists the variables with their type, description, default and whether sensitive', async () => {
    renderPage(template());

    const table = await screen.findByRole('table', { name: 'Variables' });
    const password = table.querySelector('[data-variable="admin_password"]') as HTMLElement;
    expect(password).toHaveTextContent('string');
    expect(within(password).getByText('Sensitive')).toBeInTheDocument();
    expect(table.querySelector('[data-variable="engine_version"]')).toHaveTextContent('"16"');
  });

  it('shows the version, last sync and files, and a way to deploy it', async () => {
    renderPage(template({ files: ['main.tf', 'outputs.tf'] }));

    const overview = await screen.findByRole('region', { name: 'Overview' });
    expect(overview).toHaveTextContent('Version abc123');
    expect(overview.querySelector('time')).toHaveAttribute('dateTime', '2026-11-20T10:00:00Z');
    expect(within(screen.getByRole('list', { name: 'Files' })).getAllByRole('listitem').map((i) => i.textContent)).toEqual([
      'main.tf',
      'outputs.tf',
    ]);
    expect(screen.getByRole('link', { name: 'Create deployment' })).toHaveAttribute(
      'href',
      '/aws/deployments/new?templateId=aws-database',
    );
  });

  it('lists the outputs when the catalogue gives them, sensitive ones marked', async () => {
    renderPage({
      ...template(),
      outputs: [
        { name: 'endpoint', description: 'Where to connect', sensitive: false },
        { name: 'password', description: null, sensitive: true },
      ],
    } as Template);

    const outputs = await screen.findByRole('list', { name: 'Outputs' });
    const items = within(outputs).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('endpoint — Where to connect');
    expect(within(items[1]!).getByText('Sensitive')).toBeInTheDocument();
  });

  it('says so when a template declares no outputs', async () => {
    renderPage({ ...template(), outputs: [] } as Template);

    await screen.findByRole('table', { name: 'Variables' });
    expect(screen.getByText('This template has no outputs.')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Outputs' })).toBeNull();
  });

  it('says when there is no such template', async () => {
    renderPage(null);

    expect(await screen.findByText('Template not found')).toBeInTheDocument();
  });
});
