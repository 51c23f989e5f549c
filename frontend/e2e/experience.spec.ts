import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiHeaders, createProjectAndEnvironment } from './helpers';

/*
 * What a user notices at the edges, in a real browser against the real API: statuses that are never stale,
 * focus that follows the next action, page titles, the 390 px phone width, and no serious accessibility violation.
 */

// Terraform really runs: a plan or an apply takes a few seconds.
const TERRAFORM = { timeout: 90_000 };

async function post<T>(request: APIRequestContext, url: string, data?: unknown): Promise<T> {
  const response = await request.post(url, { data, headers: apiHeaders });
  expect(response.ok(), `${url} answered ${response.status()}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** A pipeline of one fresh network deployment (fast: terraform_data only), made through the API. */
async function onePipeline(request: APIRequestContext, label: string) {
  const stamp = `${label}-${Date.now()}`;
  const { project, environment } = await createProjectAndEnvironment(request, stamp);
  const deployment = await post<{ id: string; name: string }>(request, '/api/v1/deployments', {
    projectId: project.id,
    templateId: 'aws-network',
    cloudEnvironmentId: environment.id,
    name: `e2e-ux-net-${stamp}`,
    variables: { name: `net${Date.now() % 100000}` },
  });
  const pipeline = await post<{ id: string; name: string }>(request, '/api/v1/pipelines', {
    provider: 'aws',
    name: `e2e-ux-pipeline-${stamp}`,
  });
  const get = await request.get(`/api/v1/pipelines/${pipeline.id}`);
  const added = await request.post(`/api/v1/pipelines/${pipeline.id}/steps`, {
    data: { deploymentId: deployment.id },
    headers: { ...apiHeaders, 'If-Match': get.headers()['etag']! },
  });
  expect(added.status(), await added.text()).toBe(201);
  return { pipeline, deployment, project, environment };
}

/** Cancels a run left going, so its Terraform does not keep the shared machine busy. */
async function cancelRun(request: APIRequestContext, runId: string) {
  await request.post(`/api/v1/pipeline-runs/${runId}/cancel`, { headers: apiHeaders });
}

const title = (text: string) => `${text} · Amnify Deploy`;

test('a run’s statuses are never stale on the pipeline page, and focus follows the next approval', async ({ page }) => {
  test.setTimeout(300_000);
  const { pipeline, deployment } = await onePipeline(page.request, 'stale');
  const step = page.getByRole('listitem', { name: `Step 1: ${deployment.name}` });

  // The pipeline page is seen (and cached) before the run: the step says "Never deployed".
  await page.goto(`/aws/pipelines/${pipeline.id}`);
  await expect(page).toHaveTitle(title(pipeline.name));
  await expect(step).toContainText('Never deployed');

  await page.getByRole('button', { name: 'Run Pipeline' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Run #1 of ${pipeline.name}` })).toBeVisible();
  await expect(page).toHaveTitle(title(`Run #1 · ${pipeline.name}`));
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Pipelines' })).toHaveAttribute('aria-current', 'page');

  // Keyboard only: Enter on Approve Plan; focus lands on Approve Apply, the next action.
  const approvePlan = step.getByRole('button', { name: 'Approve Plan' });
  await expect(approvePlan).toBeVisible(TERRAFORM);
  await approvePlan.focus();
  await page.keyboard.press('Enter');
  const approveApply = step.getByRole('button', { name: 'Approve Apply' });
  await expect(approveApply).toBeFocused(TERRAFORM);

  // Back on the pipeline: the step shows the status the API holds now, not the cached "Never deployed",
  // well before the pipeline page's 5 s fallback poll.
  await page.getByRole('link', { name: `← ${pipeline.name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: pipeline.name })).toBeVisible();
  await expect(step).toContainText('Awaiting approval', { timeout: 2_000 });

  // Back to the run: apply, then the finished run offers Run again.
  await page.getByRole('link', { name: 'Follow the active run' }).click();
  await step.getByRole('button', { name: 'Approve Apply' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText('Completed', TERRAFORM);
  await expect(page.getByRole('button', { name: 'Run again' })).toBeVisible();

  // And the pipeline page says the deployment is deployed at once.
  await page.getByRole('link', { name: `← ${pipeline.name}` }).click();
  await expect(step).toContainText('Deployed', { timeout: 2_000 });
  await expect(page.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1)).toContainText('1/1 steps');
});

/** Controls in the main area (or `scope`) whose text is cut off or that stick out of a 390 px wide screen. */
async function cutControls(page: Page, scope = 'main') {
  return page.locator(scope).evaluate((main) => {
    const width = document.documentElement.clientWidth;
    return Array.from(main.querySelectorAll<HTMLElement>('a, button, input, [role="button"]'))
      .filter((element) => element.offsetParent !== null && !element.closest('.mantine-ScrollArea-root, .mantine-Table-scrollContainer'))
      .filter((element) => {
        const box = element.getBoundingClientRect();
        const cut = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflow !== 'visible';
        return cut || box.right > width + 1 || box.left < -1;
      })
      .map((element) => element.getAttribute('aria-label') || element.textContent?.trim() || element.tagName);
  });
}

test('at 390 px the pipeline and run pages fit: nothing cut off, no page-wide sideways scroll', async ({ page }) => {
  test.setTimeout(180_000);
  const { pipeline, deployment } = await onePipeline(page.request, 'phone');
  await page.setViewportSize({ width: 390, height: 844 });

  await page.goto(`/aws/pipelines/${pipeline.id}`);
  await expect(page.getByRole('listitem', { name: `Step 1: ${deployment.name}` })).toBeVisible();
  expect(await cutControls(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const run = await post<{ id: string; steps: { deploymentRunId?: string | null }[] }>(
    page.request,
    `/api/v1/pipelines/${pipeline.id}/runs`,
  );
  try {
    await page.goto(`/aws/pipeline-runs/${run.id}`);
    const step = page.getByRole('listitem', { name: `Step 1: ${deployment.name}` });
    await expect(step.getByRole('button', { name: 'Approve Plan' })).toBeVisible(TERRAFORM);
    expect(await cutControls(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await step.getByRole('link', { name: 'View run: plan, log, outputs' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Execute ${deployment.name}` })).toBeVisible();
    await expect(page.getByRole('navigation', { includeHidden: true }).getByRole('link', { name: 'Deployments', includeHidden: true })).toHaveAttribute('aria-current', 'page');
    expect(await cutControls(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  } finally {
    await cancelRun(page.request, run.id);
  }
});

test('at 390 px every page in the navigation fits: nothing cut off, no page-wide sideways scroll', async ({ page }) => {
  test.setTimeout(180_000);
  const { deployment } = await onePipeline(page.request, 'phone-all');
  await page.setViewportSize({ width: 390, height: 844 });
  const pages: { url: string; ready: string | RegExp }[] = [
    { url: '/aws/pipelines', ready: 'Pipelines' },
    { url: '/aws/deployments', ready: 'Deployments' },
    { url: `/aws/deployments/${deployment.id}`, ready: deployment.name },
    { url: `/aws/deployments/${deployment.id}/edit`, ready: `Edit ${deployment.name}` },
    { url: '/aws/deployments/new', ready: 'New deployment' },
    { url: '/aws/projects', ready: 'Projects' },
    { url: '/aws/templates', ready: 'Templates' },
    { url: '/aws/cloud-environments', ready: 'Cloud environments' },
    { url: '/aws/approvals', ready: 'Awaiting my approval' },
    { url: '/audit', ready: 'Audit log' },
    { url: '/tokens', ready: 'API tokens' },
    { url: '/users', ready: 'Users' },
    { url: '/webhooks', ready: 'Webhooks' },
  ];
  const found: Record<string, unknown> = {};
  for (const { url, ready } of pages) {
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1, name: ready })).toBeVisible();
    await expect(page.getByLabel(/^Loading/)).toHaveCount(0);
    // The header too: on a phone it must still hold the menu button, the inbox and the account menu.
    const cut = [...(await cutControls(page)), ...(await cutControls(page, 'header'))];
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (cut.length > 0 || width > 390) found[url] = { cut, width };
  }
  expect(found).toEqual({});
});

/** The serious and critical violations axe finds on the page as it is now. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => `${node.html.slice(0, 160)} (${node.failureSummary?.replace(/\s+/g, ' ').slice(0, 200)})`)
          .join(' | ')}`,
    );
}

test('no page has a serious or critical accessibility violation (axe-core)', async ({ page, browser, baseURL }) => {
  test.setTimeout(300_000);
  const { pipeline, deployment } = await onePipeline(page.request, 'axe');
  const run = await post<{ id: string }>(page.request, `/api/v1/pipelines/${pipeline.id}/runs`);
  try {
    const runView = await page.request.get(`/api/v1/pipeline-runs/${run.id}`);
    const pages: { url: string; ready: string | RegExp }[] = [
      { url: '/', ready: 'Select a cloud provider' },
      { url: '/tokens', ready: 'API tokens' },
      { url: '/users', ready: 'Users' },
      { url: '/audit', ready: 'Audit log' },
      { url: '/aws/pipelines', ready: 'Pipelines' },
      { url: `/aws/pipelines/${pipeline.id}`, ready: pipeline.name },
      { url: `/aws/pipeline-runs/${run.id}`, ready: `Run #1 of ${pipeline.name}` },
      { url: '/aws/deployments', ready: 'Deployments' },
      { url: '/aws/deployments/new', ready: 'New deployment' },
      { url: `/aws/deployments/${deployment.id}`, ready: deployment.name },
      { url: `/aws/deployments/${deployment.id}/edit`, ready: `Edit ${deployment.name}` },
      { url: '/aws/projects', ready: 'Projects' },
      { url: '/aws/templates', ready: 'Templates' },
      { url: '/aws/cloud-environments', ready: 'Cloud environments' },
      { url: '/aws/approvals', ready: 'Awaiting my approval' },
      { url: '/webhooks', ready: 'Webhooks' },
    ];
    expect(runView.ok()).toBe(true);
    const found: Record<string, string[]> = {};
    for (const { url, ready } of pages) {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1, name: ready })).toBeVisible();
      // Let lists and tables load: axe should see the page as the user does.
      await expect(page.getByLabel(/^Loading/)).toHaveCount(0);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[url] = violations;
    }

    // The deployment run page, reached from the pipeline run.
    await page.goto(`/aws/pipeline-runs/${run.id}`);
    await page.getByRole('link', { name: 'View run: plan, log, outputs' }).click({ timeout: 60_000 });
    await expect(page.getByRole('heading', { level: 1, name: `Execute ${deployment.name}` })).toBeVisible();
    const runViolations = await seriousViolations(page);
    if (runViolations.length > 0) found['deployment run'] = runViolations;

    // The sign-in page, signed out.
    const signedOut = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const login = await signedOut.newPage();
    await login.goto('/login');
    await expect(login.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(login).toHaveTitle(title('Sign in'));
    const loginViolations = await seriousViolations(login);
    if (loginViolations.length > 0) found['/login'] = loginViolations;
    await signedOut.close();

    expect(found).toEqual({});
  } finally {
    await cancelRun(page.request, run.id);
  }
});
