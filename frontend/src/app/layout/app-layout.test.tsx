import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../../test/fake-fetch';
import { renderWithApp } from '../../test/render';
import { AppLayout } from './app-layout';

const providers = {
  items: [
    { id: 'aws', displayName: 'Amazon Web Services' },
    { id: 'gcp', displayName: 'Google Cloud' },
  ],
  nextCursor: null,
};

describe('AppLayout', () => {
  it("shows the provider's sections in the sidebar and marks the current one", async () => {
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });

    renderWithApp(<AppLayout />, { route: '/aws/projects', path: '/:provider/*' });

    const nav = await screen.findByRole('navigation', { name: 'Amazon Web Services sections' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Pipelines', '/aws/pipelines'],
      ['Deployments', '/aws/deployments'],
      ['Projects', '/aws/projects'],
      ['Templates', '/aws/templates'],
      ['Cloud environments', '/aws/cloud-environments'],
    ]);
    expect(within(nav).getByRole('link', { name: 'Projects' })).toHaveAttribute('aria-current', 'page');
  });

  it('switching the provider keeps the section', async () => {
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });
    const { user } = renderWithApp(<AppLayout />, { route: '/aws/projects?q=web', path: '/:provider/*' });

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Cloud provider' }), 'gcp');

    expect(screen.getByTestId('location')).toHaveTextContent(/^\/gcp\/projects$/);
    expect(await screen.findByRole('navigation', { name: 'Google Cloud sections' })).toBeInTheDocument();
  });

  it('says so when the provider in the URL is unknown', async () => {
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });

    renderWithApp(<AppLayout />, { route: '/oracle/projects', path: '/:provider/*' });

    expect(await screen.findByText('Unknown cloud provider')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Select a cloud provider' })).toHaveAttribute('href', '/');
  });
});
