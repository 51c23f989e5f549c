import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { adminCredentials } from './auth';
import { apiHeaders, createProjectAndEnvironment, escapeRegExp, waitForApi } from './helpers';

/*
 * Access in the browser: signing in on the sign-in page, an API token shown exactly once and revoked, signing out;
 * and a viewer who sees everything but no button that would change anything.
 */

const signedOut = { cookies: [], origins: [] };

async function signInOnPage(page: Page, credentials: { email: string; password: string }) {
  await page.getByRole('textbox', { name: 'Email' }).fill(credentials.email);
  await page.getByLabel('Password', { exact: true }).fill(credentials.password);
  const login = waitForApi(page, 'POST', /^\/api\/v1\/auth\/login$/);
  await page.getByRole('button', { name: 'Sign in' }).click();
  expect((await login).status()).toBe(200);
}

async function openUserMenu(page: Page, name: RegExp) {
  await page.getByRole('button', { name }).click();
  await expect(page.getByRole('menu')).toBeVisible();
}

async function post<T>(request: APIRequestContext, url: string, data?: unknown): Promise<T> {
  const response = await request.post(url, { data, headers: apiHeaders });
  expect(response.ok(), `${url} answered ${response.status()}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

test.describe('signing in', () => {
  // A fresh browser with no session: the sign-in page is where it starts.
  test.use({ storageState: signedOut });

  test('an admin signs in, sees a new API token once, revokes it and signs out', async ({ page, baseURL }) => {
    const admin = adminCredentials();
    const tokenName = `e2e-token-${Date.now()}`;

    // --- Not signed in: any page leads to the sign-in page, which leads back afterwards --------------------
    await page.goto('/aws/projects');
    await expect(page).toHaveURL(/\/login\?next=%2Faws%2Fprojects$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Amnify Deploy' })).toBeVisible();

    await page.getByRole('textbox', { name: 'Email' }).fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('Sign-in failed');
    await expect(page).toHaveURL(/\/login\?next=/);

    await signInOnPage(page, admin);
    await expect(page).toHaveURL(/\/aws\/projects$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
    const menuButton = page.getByRole('button', { name: /: account menu$/ });
    await expect(menuButton).toContainText('Admin');

    // --- A personal token: its value shows once, with a copy button -----------------------------------------
    await openUserMenu(page, /: account menu$/);
    await page.getByRole('menuitem', { name: 'API tokens' }).click();
    await expect(page).toHaveURL(/\/tokens$/);
    await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();

    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('dialog', { name: 'New API token' });
    await form.getByRole('textbox', { name: /^Name/ }).fill(tokenName);
    const created = waitForApi(page, 'POST', /^\/api\/v1\/tokens$/);
    await form.getByRole('button', { name: 'Create token' }).click();
    const createdResponse = await created;
    expect(createdResponse.status()).toBe(201);
    const { apiToken } = (await createdResponse.json()) as { apiToken: { prefix: string } };

    const shown = page.getByRole('dialog', { name: 'Copy your new token' });
    await expect(shown).toBeVisible();
    await expect(shown).toContainText('It will not be shown again');
    await expect(shown.getByRole('button', { name: 'Copy token' })).toBeVisible();
    const field = shown.getByRole('textbox', { name: 'Token' });
    await expect(field).toHaveValue(/^amn_/);
    const value = await field.inputValue();
    expect(value.startsWith(apiToken.prefix)).toBe(true);

    // The value works as a bearer token (a fresh client: no cookie, no storage state).
    const script = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${value}` } });
    const asScript = await script.get('/api/v1/me');
    expect(asScript.status()).toBe(200);
    expect(await asScript.json()).toMatchObject({ email: admin.email, method: 'api' });

    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(shown).toBeHidden();
    // From now on only its prefix shows.
    const row = page.getByRole('row', { name: new RegExp(`^${escapeRegExp(tokenName)}`) });
    await expect(row).toContainText(`${apiToken.prefix}…`);
    await expect(row).toContainText('Active');
    await expect(page.getByText(value)).toHaveCount(0);
    await expect(page.locator(`input[value="${value}"]`)).toHaveCount(0);
    expect(await page.content()).not.toContain(value);

    // --- Revoke it: the script is refused from then on ---------------------------------------------------------
    await row.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke token' });
    const revoked = waitForApi(page, 'DELETE', /^\/api\/v1\/tokens\/[^/]+$/);
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    expect((await revoked).status()).toBe(204);
    await expect(row).toContainText('Revoked');
    await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
    expect((await script.get('/api/v1/me')).status()).toBe(401);
    await script.dispose();

    // --- Sign out: back to the sign-in page, and the pages need signing in again ------------------------------
    await openUserMenu(page, /: account menu$/);
    const loggedOut = waitForApi(page, 'POST', /^\/api\/v1\/auth\/logout$/);
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    expect((await loggedOut).status()).toBe(204);
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Amnify Deploy' })).toBeVisible();

    await page.goto('/tokens');
    await expect(page).toHaveURL(/\/login\?next=%2Ftokens$/);
  });
});

test('a viewer sees every page but no button that would change anything', async ({ request, browser, baseURL }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();

  // --- As the admin, through the API: a viewer, and something for them to look at --------------------------
  const viewer = { email: `e2e-viewer-${stamp}@e2e.test`, password: `viewer-password-${stamp}` };
  await post(request, '/api/v1/users', { ...viewer, displayName: `Vera Viewer ${stamp}`, role: 'viewer' });
  const { project, environment } = await createProjectAndEnvironment(request, `viewer-${stamp}`);
  const deployment = await post<{ id: string; name: string }>(request, '/api/v1/deployments', {
    projectId: project.id,
    templateId: 'aws-network',
    cloudEnvironmentId: environment.id,
    name: `e2e-viewer-net-${stamp}`,
    variables: { name: `net${stamp}` },
  });
  const pipeline = await post<{ id: string; name: string }>(request, '/api/v1/pipelines', {
    provider: 'aws',
    name: `e2e-viewer-pipeline-${stamp}`,
  });
  await post(request, `/api/v1/pipelines/${pipeline.id}/steps`, { deploymentId: deployment.id });

  // --- The viewer signs in, in a browser of their own ------------------------------------------------------
  const context = await browser.newContext({ baseURL, storageState: signedOut });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await signInOnPage(page, viewer);
  await expect(page.getByRole('heading', { name: 'Select a cloud provider' })).toBeVisible();
  await expect(page.getByRole('button', { name: /: account menu$/ })).toContainText('Viewer');

  const changing = /create|new|edit|delete|remove|add|run pipeline|execute|destroy|sync|move|drag|cancel|approve/i;
  const expectNoChangingControls = async () => {
    await expect(page.getByRole('button', { name: changing })).toHaveCount(0);
    await expect(page.getByRole('link', { name: changing })).toHaveCount(0);
  };

  // Projects
  await page.goto(`/aws/projects?q=${encodeURIComponent(project.name)}`);
  await expect(page.getByRole('link', { name: project.name })).toBeVisible();
  await expectNoChangingControls();

  // Deployments: the list and one deployment
  await page.goto(`/aws/deployments?q=${encodeURIComponent(deployment.name)}`);
  await expect(page.getByRole('link', { name: deployment.name })).toBeVisible();
  await expectNoChangingControls();
  await page.getByRole('link', { name: deployment.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: deployment.name })).toBeVisible();
  await expect(page.getByText('No runs yet.')).toBeVisible();
  await expectNoChangingControls();

  // Pipelines: the list and one pipeline with its step
  await page.goto(`/aws/pipelines?q=${encodeURIComponent(pipeline.name)}`);
  await expect(page.getByRole('link', { name: pipeline.name })).toBeVisible();
  await expectNoChangingControls();
  await page.getByRole('link', { name: pipeline.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: pipeline.name })).toBeVisible();
  await expect(page.getByRole('listitem', { name: `Step 1: ${deployment.name}` })).toBeVisible();
  await expect(page.getByText('No runs yet.')).toBeVisible();
  await expectNoChangingControls();

  // Templates and cloud environments
  await page.goto('/aws/templates');
  await expect(page.getByRole('article').first()).toBeVisible();
  await expectNoChangingControls();
  await page.goto(`/aws/cloud-environments?q=${encodeURIComponent(environment.name)}`);
  await expect(page.getByRole('cell', { name: environment.name })).toBeVisible();
  await expectNoChangingControls();

  // The user menu offers their tokens and signing out, not the admin pages.
  await openUserMenu(page, /: account menu$/);
  await expect(page.getByRole('menuitem')).toHaveText(['API tokens', 'Sign out']);

  await context.close();
});
