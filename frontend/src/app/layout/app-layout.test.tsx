import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeFetch, json, noContent } from '../../test/fake-fetch';
import { me } from '../../test/fixtures';
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

  it.each([
    ['/aws/pipeline-runs/r1', 'Pipelines'],
    ['/aws/runs/dr1', 'Deployments'],
  ])('marks the area a run page belongs to (%s → %s)', async (route, area) => {
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });

    renderWithApp(<AppLayout />, { route, path: '/:provider/*' });

    const nav = await screen.findByRole('navigation', { name: 'Amazon Web Services sections' });
    expect(within(nav).getByRole('link', { name: area })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getAllByRole('link').filter((link) => link.hasAttribute('aria-current'))).toHaveLength(1);
  });

  it('offers a skip link first, to the main area', async () => {
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });
    const { user } = renderWithApp(<AppLayout />, { route: '/aws/projects', path: '/:provider/*' });
    await screen.findByRole('navigation', { name: 'Amazon Web Services sections' });

    await user.tab();

    const skip = screen.getByRole('link', { name: 'Skip to main content' });
    expect(skip).toHaveFocus();
    expect(document.getElementById(skip.getAttribute('href')!.slice(1))).toHaveAttribute('tabindex', '-1');
  });

  it('switching the provider keeps the section', async () => {
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });
    const { user } = renderWithApp(<AppLayout />, { route: '/aws/projects?q=web', path: '/:provider/*' });

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Cloud provider' }), 'gcp');

    expect(screen.getByTestId('location')).toHaveTextContent(/^\/gcp\/projects$/);
    expect(await screen.findByRole('navigation', { name: 'Google Cloud sections' })).toBeInTheDocument();
  });

  it('on a phone, the provider is picked in the menu: the header keeps room for the inbox and the account', async () => {
    const matchMedia = window.matchMedia;
    vi.spyOn(window, 'matchMedia').mockImplementation((query) => ({ ...matchMedia(query), matches: query === '(max-width: 47.99em)' }));
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });

    renderWithApp(<AppLayout />, { route: '/aws/projects', path: '/:provider/*' });

    const nav = await screen.findByRole('navigation', { name: 'Amazon Web Services sections' });
    expect(within(nav).getByRole('combobox', { name: 'Cloud provider' })).toBeInTheDocument();
    expect(within(screen.getByRole('banner')).queryByRole('combobox', { name: 'Cloud provider' })).not.toBeInTheDocument();
    expect(within(screen.getByRole('banner')).getByRole('link', { name: /^Approvals/ })).toBeInTheDocument();
    vi.restoreAllMocks();
  });

  it('says so when the provider in the URL is unknown', async () => {
    fakeFetch({ 'GET /api/v1/providers': () => json(providers) });

    renderWithApp(<AppLayout />, { route: '/oracle/projects', path: '/:provider/*' });

    expect(await screen.findByText('Unknown cloud provider')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Select a cloud provider' })).toHaveAttribute('href', '/');
  });

  describe('user menu', () => {
    it('shows who is signed in with their role, and the admin pages to an admin', async () => {
      fakeFetch({ 'GET /api/v1/providers': () => json(providers) });
      const { user } = renderWithApp(<AppLayout />, {
        route: '/aws/projects',
        path: '/:provider/*',
        me: me({ displayName: 'Ada Admin', role: 'admin' }),
      });

      const menu = await screen.findByRole('button', { name: 'Ada Admin, Admin: account menu' });
      expect(menu).toHaveTextContent('Ada Admin');
      await user.click(menu);

      const items = await screen.findAllByRole('menuitem', { hidden: true });
      expect(items.map((item) => item.textContent)).toEqual(['API tokens', 'Users', 'Audit log', 'Webhooks', 'Sign out']);
      // Mantine's dropdown transition never finishes in jsdom: its items count as hidden.
      expect(screen.getByRole('menuitem', { name: 'API tokens', hidden: true })).toHaveAttribute('href', '/tokens');
      expect(screen.getByRole('menuitem', { name: 'Users', hidden: true })).toHaveAttribute('href', '/users');
      expect(screen.getByRole('menuitem', { name: 'Audit log', hidden: true })).toHaveAttribute('href', '/audit');
    });

    it.each(['viewer', 'operator', 'approver'] as const)('offers no admin pages to a %s', async (role) => {
      fakeFetch({ 'GET /api/v1/providers': () => json(providers) });
      const { user } = renderWithApp(<AppLayout />, {
        route: '/aws/projects',
        path: '/:provider/*',
        me: me({ displayName: 'Val', role }),
      });

      await user.click(await screen.findByRole('button', { name: /Val/ }));

      const items = await screen.findAllByRole('menuitem', { hidden: true });
      expect(items.map((item) => item.textContent)).toEqual(['API tokens', 'Sign out']);
    });

    it('signs out and goes to the sign-in page', async () => {
      const server = fakeFetch({ 'GET /api/v1/providers': () => json(providers), 'POST /api/v1/auth/logout': noContent });
      const { user } = renderWithApp(<AppLayout />, { route: '/aws/projects', path: '/:provider/*' });

      await user.click(await screen.findByRole('button', { name: /Ada Admin/ }));
      await user.click(await screen.findByRole('menuitem', { name: 'Sign out', hidden: true }));

      await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/login$/));
      expect(server.calls('POST /api/v1/auth/logout')).toHaveLength(1);
      expect(server.calls('POST /api/v1/auth/logout')[0]!.headers.get('X-Amnify-Client')).toBe('spa');
    });
  });
});
