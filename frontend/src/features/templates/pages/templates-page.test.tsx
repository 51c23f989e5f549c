import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, problem } from '../../../test/fake-fetch';
import { networkVariables, page, template } from '../../../test/fixtures';
import { renderWithApp } from '../../../test/render';
import { TemplatesPage } from './templates-page';

const database = template();
const network = template({ id: 'aws-network', name: 'VPC network', category: 'infrastructure', variables: networkVariables });
const renderPage = (route = '/aws/templates') => renderWithApp(<TemplatesPage />, { route, path: '/:provider/templates' });

describe('TemplatesPage', () => {
  it('shows a card per template with its category, variable count and a link to create a deployment', async () => {
    const server = fakeFetch({ 'GET /api/v1/templates': () => json(page([database, network])) });

    renderPage();

    const card = await screen.findByRole('article', { name: 'RDS PostgreSQL' });
    expect(card).toHaveTextContent('database');
    expect(card).toHaveTextContent('6 variables');
    expect(within(card).getByRole('link', { name: 'Create deployment from RDS PostgreSQL' })).toHaveAttribute(
      'href',
      '/aws/deployments/new?templateId=aws-database',
    );
    expect(screen.getByRole('article', { name: 'VPC network' })).toHaveTextContent('3 variables');
    expect(server.requests[0]!.url.searchParams.get('provider')).toBe('aws');
  });

  it('filters by category, kept in the URL', async () => {
    const server = fakeFetch({
      'GET /api/v1/templates': ({ url }) =>
        json(page(url.searchParams.get('category') === 'database' ? [database] : [database, network])),
    });
    const { user } = renderPage();
    await screen.findByRole('article', { name: 'VPC network' });

    await user.click(screen.getByRole('radio', { name: 'Database' }));

    await waitFor(() => expect(screen.queryByRole('article', { name: 'VPC network' })).not.toBeInTheDocument());
    expect(screen.getByRole('article', { name: 'RDS PostgreSQL' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/aws/templates?category=database');
    expect(server.calls('GET /api/v1/templates').at(-1)!.url.searchParams.get('category')).toBe('database');
  });

  it('syncs and shows the counts and every reason of each rejected template', async () => {
    let synced = false;
    fakeFetch({
      'GET /api/v1/templates': () => json(page(synced ? [database, network] : [])),
      'POST /api/v1/templates/sync': () => {
        synced = true;
        return json({
          imported: ['aws-database', 'aws-network'],
          updated: [],
          unchanged: ['gcp-network'],
          removed: [],
          rejected: [
            { path: 'templates/aws/broken', reasons: ['template.json: "category" is missing.', 'No *.tf file.'] },
          ],
        });
      },
    });
    const { user } = renderPage();
    expect(await screen.findByText('No templates yet')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Sync Templates' }));

    const result = await screen.findByRole('status', { name: 'Templates synced' });
    expect(result).toHaveTextContent('Imported: 2');
    expect(result).toHaveTextContent('Updated: 0');
    expect(result).toHaveTextContent('Unchanged: 1');
    expect(result).toHaveTextContent('Removed: 0');
    expect(result).toHaveTextContent('Rejected: 1');
    const rejected = within(result).getByRole('list', { name: 'Rejected templates' });
    expect(rejected).toHaveTextContent('templates/aws/broken');
    expect(rejected).toHaveTextContent('template.json: "category" is missing.');
    expect(rejected).toHaveTextContent('No *.tf file.');
    expect(await screen.findByRole('article', { name: 'VPC network' })).toBeInTheDocument();
  });

  it('shows why a sync failed', async () => {
    fakeFetch({
      'GET /api/v1/templates': () => json(page([])),
      'POST /api/v1/templates/sync': () =>
        problem(422, { title: 'Template source unavailable', detail: 'git clone failed: repository not found.' }),
    });
    const { user } = renderPage();

    await user.click(await screen.findByRole('button', { name: 'Sync Templates' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Template source unavailable');
    expect(alert).toHaveTextContent('git clone failed: repository not found.');
  });

  describe('by role', () => {
    it('a viewer browses the templates but can neither sync nor create deployments', async () => {
      fakeFetch({ 'GET /api/v1/templates': () => json(page([database])) });

      renderWithApp(<TemplatesPage />, { route: '/aws/templates', path: '/:provider/templates', role: 'viewer' });

      expect(await screen.findByRole('article', { name: 'RDS PostgreSQL' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /sync/i })).not.toBeInTheDocument();
      expect(screen.queryByRole('link', { name: /create deployment/i })).not.toBeInTheDocument();
    });

    it('an operator creates deployments; Sync shows disabled as admin-only', async () => {
      const server = fakeFetch({ 'GET /api/v1/templates': () => json(page([database])) });
      const { user } = renderWithApp(<TemplatesPage />, {
        route: '/aws/templates',
        path: '/:provider/templates',
        role: 'operator',
      });

      expect(await screen.findByRole('link', { name: 'Create deployment from RDS PostgreSQL' })).not.toHaveAttribute(
        'aria-disabled',
      );
      const sync = screen.getByRole('button', { name: 'Sync Templates' });
      expect(sync).toHaveAttribute('aria-disabled', 'true');
      await user.click(sync);
      expect(server.calls('POST /api/v1/templates/sync')).toHaveLength(0);
    });
  });
});
