import { expect, type APIRequestContext, type Page, type Response } from '@playwright/test';

/** Waits for the API's answer to `METHOD /api/v1/<path>` (path may end in an id); start it before the click. */
export function waitForApi(page: Page, method: string, path: RegExp): Promise<Response> {
  return page.waitForResponse((response) => {
    const url = new URL(response.url());
    return response.request().method() === method && path.test(url.pathname);
  });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first message a problem document gives for a field, else its detail, else its title. */
export function problemMessage(problem: { title?: string; detail?: string; errors?: Record<string, string[]> }, field?: string) {
  return (field && problem.errors?.[field]?.[0]) || problem.detail || problem.title || '';
}

/**
 * Sent with the API calls a spec makes itself: changes made with the session cookie must carry it. The config's
 * `extraHTTPHeaders` already adds it to every request; specs name it where a request is built by hand.
 */
export const apiHeaders = { 'X-Amnify-Client': 'e2e' };

/** What the deployment specs need first, made through the API: a project and a cloud environment for aws. */
export async function createProjectAndEnvironment(request: APIRequestContext, stamp: string | number) {
  const synced = await request.post('/api/v1/templates/sync', { headers: apiHeaders });
  expect(synced.status(), await synced.text()).toBe(200);
  const project = await request.post('/api/v1/projects', {
    data: { provider: 'aws', name: `e2e-project-${stamp}`, description: 'Made by an e2e test' },
    headers: apiHeaders,
  });
  expect(project.status(), await project.text()).toBe(201);
  const environment = await request.post('/api/v1/cloud-environments', {
    data: { provider: 'aws', name: `e2e-env-${stamp}`, region: 'eu-west-1', accountId: '123456789012', credentials: {} },
    headers: apiHeaders,
  });
  expect(environment.status(), await environment.text()).toBe(201);
  return {
    project: (await project.json()) as { id: string; name: string },
    environment: (await environment.json()) as { id: string; name: string; region: string },
  };
}

/** Picks an option of a Mantine Select by its label and the option's text. */
export async function chooseOption(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect(page.getByRole('combobox', { name: label, exact: true })).toHaveValue(option);
}
