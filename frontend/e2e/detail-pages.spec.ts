import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiHeaders, createProjectAndEnvironment } from './helpers';

/*
 * The pages and links added for issue 17: a deployment run links back to the pipeline run it is part of; the
 * template and project detail pages and the run page fit a 390 px phone and have no serious accessibility violation.
 */

const TERRAFORM = { timeout: 90_000 };

async function post<T>(request: APIRequestContext, url: string, data?: unknown): Promise<T> {
  const response = await request.post(url, { data, headers: apiHeaders });
  expect(response.ok(), `${url} answered ${response.status()}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** A pipeline of one fresh network deployment, and a run of it, made through the API. */
async function pipelineRun(request: APIRequestContext, label: string) {
  const stamp = `${label}-${Date.now()}`;
  const { project, environment } = await createProjectAndEnvironment(request, stamp);
  const deployment = await post<{ id: string; name: string }>(request, '/api/v1/deployments', {
    projectId: project.id,
    templateId: 'aws-network',
    cloudEnvironmentId: environment.id,
    name: `e2e-detail-net-${stamp}`,
    variables: { name: `net${Date.now() % 100000}` },
  });
  const pipeline = await post<{ id: string; name: string }>(request, '/api/v1/pipelines', { provider: 'aws', name: `e2e-detail-${stamp}` });
  const get = await request.get(`/api/v1/pipelines/${pipeline.id}`);
  const added = await request.post(`/api/v1/pipelines/${pipeline.id}/steps`, {
    data: { deploymentId: deployment.id },
    headers: { ...apiHeaders, 'If-Match': get.headers()['etag']! },
  });
  expect(added.status(), await added.text()).toBe(201);
  const run = await post<{ id: string; number: number }>(request, `/api/v1/pipelines/${pipeline.id}/runs`);
  return { project, deployment, pipeline, run };
}

const cancel = (request: APIRequestContext, runId: string) =>
  request.post(`/api/v1/pipeline-runs/${runId}/cancel`, { headers: apiHeaders });

/** Controls in the main area whose text is cut off or that stick out of the screen. */
async function cutControls(page: Page) {
  return page.locator('main').evaluate((main) => {
    const width = document.documentElement.clientWidth;
    return Array.from(main.querySelectorAll<HTMLElement>('a, button, input, [role="button"]'))
      .filter(
        (element) =>
          element.offsetParent !== null &&
          // Inside a scrolling box (a table, the log) a control may be off screen: the box scrolls, the page does not.
          !element.closest('.mantine-ScrollArea-root, .mantine-Table-scrollContainer, [role="log"]'),
      )
      .filter((element) => {
        const box = element.getBoundingClientRect();
        const cut = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflow !== 'visible';
        return cut || box.right > width + 1 || box.left < -1;
      })
      .map((element) => element.getAttribute('aria-label') || element.textContent?.trim() || element.tagName);
  });
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.html.slice(0, 160)).join(' | ')}`);
}

test('a deployment run started by a pipeline links back to its pipeline run', async ({ page }) => {
  test.setTimeout(180_000);
  const { pipeline, run, deployment } = await pipelineRun(page.request, 'back');
  try {
    await page.goto(`/aws/pipeline-runs/${run.id}`);
    await page.getByRole('link', { name: 'View run: plan, log, outputs' }).click(TERRAFORM);
    await expect(page.getByRole('heading', { level: 1, name: `Execute ${deployment.name}` })).toBeVisible();

    await page.getByRole('link', { name: `Run #${run.number} of ${pipeline.name}` }).click();

    await expect(page).toHaveURL(new RegExp(`/aws/pipeline-runs/${run.id}$`));
    await expect(page.getByRole('heading', { level: 1, name: `Run #${run.number} of ${pipeline.name}` })).toBeVisible();
  } finally {
    await cancel(page.request, run.id);
  }
});

test('the template, project and run pages fit 390 px and have no serious accessibility violation', async ({ page }) => {
  test.setTimeout(240_000);
  const { project, deployment, run } = await pipelineRun(page.request, 'phone');
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    const found: Record<string, string[]> = {};
    const check = async (name: string) => {
      await expect(page.getByLabel(/^Loading/)).toHaveCount(0);
      expect(await cutControls(page), name).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(390);
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[name] = violations;
    };

    await page.goto('/aws/templates/aws-network');
    await expect(page.getByRole('table', { name: 'Variables' })).toBeVisible();
    await check('template');

    await page.goto(`/aws/projects/${project.id}`);
    await expect(page.getByRole('link', { name: deployment.name })).toBeVisible();
    await check('project');

    await page.goto(`/aws/pipeline-runs/${run.id}`);
    await page.getByRole('link', { name: 'View run: plan, log, outputs' }).click(TERRAFORM);
    await expect(page.getByRole('log', { name: 'Run log' })).toContainText('terraform', TERRAFORM);
    await page.getByRole('textbox', { name: 'Search the log' }).fill('terraform');
    await expect(page.getByText(/^1 of \d+$/)).toBeVisible();
    await check('deployment run');

    await page.goto('/audit');
    await expect(page.getByRole('table', { name: 'Audit events' })).toBeVisible();
    await expect(page.getByRole('link', { name: deployment.name }).first()).toBeVisible();
    const violations = await seriousViolations(page);
    if (violations.length > 0) found.audit = violations;

    expect(found).toEqual({});
  } finally {
    await cancel(page.request, run.id);
  }
});
