import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { escapeRegExp } from './helpers';

/*
 * Plays the "Creating Pipelines" guide against the real API, PostgreSQL and Terraform:
 * create a pipeline, add three deployments, reorder them (arrows, pointer drag, keyboard drag), run it with
 * both approvals per step, make the middle step fail, fix it and run again.
 */

// Terraform really runs: each plan or apply takes a few seconds.
const TERRAFORM = 90_000;

async function post<T>(request: APIRequestContext, url: string, data?: unknown): Promise<T> {
  const response = await request.post(url, { data });
  expect(response.ok(), `${url} answered ${response.status()}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

async function patch(request: APIRequestContext, url: string, data: unknown) {
  const response = await request.patch(url, { data });
  expect(response.ok(), `${url} answered ${response.status()}: ${await response.text()}`).toBe(true);
}

/** The step list's rows, top to bottom, by their accessible names ("Step 1: name"). */
async function expectOrder(page: Page, names: string[]) {
  const items = page.getByRole('list', { name: 'Pipeline steps' }).getByRole('listitem');
  await expect
    .poll(() => items.evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label'))))
    .toEqual(names.map((name, index) => `Step ${index + 1}: ${name}`));
}

/** The API's answer to `METHOD path`; start waiting before the action. Fails after 30 s rather than hanging. */
function waitForApi(page: Page, method: string, path: RegExp) {
  return page.waitForResponse(
    (response) => response.request().method() === method && path.test(new URL(response.url()).pathname),
    { timeout: 30_000 },
  );
}

function waitForReorder(page: Page) {
  return waitForApi(page, 'PUT', /^\/api\/v1\/pipelines\/[^/]+\/steps\/order$/);
}

/** A pointer drag of one row's handle onto another row's handle, in small moves as a hand would. */
async function dragOnto(page: Page, handle: Locator, target: Locator) {
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  const x = from.x + from.width / 2;
  const y = from.y + from.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + 8, { steps: 4 }); // past the 4 px activation distance
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
  await page.mouse.up();
}

async function runPipeline(page: Page, pipelineName: string, expectedNumber: number) {
  const triggered = waitForApi(page, 'POST', /^\/api\/v1\/pipelines\/[^/]+\/runs$/);
  await page.getByRole('button', { name: 'Run Pipeline' }).click();
  expect((await triggered).status()).toBe(202);
  await expect(page).toHaveURL(/\/aws\/pipeline-runs\/[^/]+$/);
  await expect(
    page.getByRole('heading', { level: 1, name: `Run #${expectedNumber} of ${pipelineName}` }),
  ).toBeVisible();
}

/** Approves the plan, then the apply, of one step of the run view. */
async function approveStep(page: Page, step: Locator) {
  await expect(step).toHaveAttribute('aria-current', 'step', { timeout: TERRAFORM });
  const approvePlan = step.getByRole('button', { name: 'Approve Plan' });
  await expect(approvePlan).toBeVisible({ timeout: TERRAFORM });
  await expect(step.getByRole('group', { name: /^Plan: \d+ to add/ })).toBeVisible();
  const planApproved = waitForApi(page, 'POST', /^\/api\/v1\/deployment-runs\/[^/]+\/approve-plan$/);
  await approvePlan.click();
  expect((await planApproved).status()).toBe(200);

  const approveApply = step.getByRole('button', { name: 'Approve Apply' });
  await expect(approveApply).toBeVisible({ timeout: TERRAFORM });
  const applyApproved = waitForApi(page, 'POST', /^\/api\/v1\/deployment-runs\/[^/]+\/approve-apply$/);
  await approveApply.click();
  expect((await applyApproved).status()).toBe(200);
}

function runStatus(page: Page) {
  return page.getByRole('status', { name: 'Run status' });
}

test('a pipeline is created, filled, reordered and run with approvals; a failing step stops it until fixed', async ({
  page,
  request,
}) => {
  test.setTimeout(600_000);
  const stamp = Date.now();
  const pipelineName = `e2e-pipeline-${stamp}`;
  const net = `e2e-net-${stamp}`;
  const db = `e2e-db-${stamp}`;
  const web = `e2e-web-${stamp}`;

  // --- Setup through the API: templates, a project, a cloud environment, three deployments ---------------
  await post(request, '/api/v1/templates/sync');
  const project = await post<{ id: string }>(request, '/api/v1/projects', {
    provider: 'aws',
    name: `e2e-pipeline-project-${stamp}`,
  });
  const environment = await post<{ id: string }>(request, '/api/v1/cloud-environments', {
    provider: 'aws',
    name: `e2e-pipeline-env-${stamp}`,
    region: 'eu-west-1',
    accountId: '123456789012',
  });
  const createDeployment = (name: string, templateId: string, variables: Record<string, unknown>) =>
    post<{ id: string }>(request, '/api/v1/deployments', {
      projectId: project.id,
      templateId,
      cloudEnvironmentId: environment.id,
      name,
      variables,
    });
  await createDeployment(net, 'aws-network', { name: 'net' });
  const database = await createDeployment(db, 'aws-database', { name: 'db', admin_password: 'Sup3r-secret' });
  await createDeployment(web, 'aws-application', { name: 'web', image: 'nginx:1' });

  // --- Creating a pipeline ---------------------------------------------------------------------------------
  await page.goto('/aws/pipelines');
  await page.getByRole('navigation').getByRole('link', { name: 'Pipelines', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pipelines' })).toBeVisible();
  await page.getByRole('button', { name: 'New Pipeline' }).click();
  const form = page.getByRole('dialog', { name: 'New pipeline' });
  await form.getByRole('textbox', { name: /^Name/ }).fill(pipelineName);
  await form.getByRole('textbox', { name: /^Description/ }).fill('Network, then database, then application');
  const created = waitForApi(page, 'POST', /^\/api\/v1\/pipelines$/);
  await form.getByRole('button', { name: 'Create Pipeline' }).click();
  expect((await created).status()).toBe(201);
  await expect(page).toHaveURL(/\/aws\/pipelines\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1, name: pipelineName })).toBeVisible();
  await expect(page.getByText('This pipeline is empty')).toBeVisible();

  // --- Adding deployments: search, Add; the add order is the execution order -------------------------------
  await page.getByRole('button', { name: 'Add Deployment', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add deployment' });
  for (const name of [net, db, web]) {
    await dialog.getByRole('searchbox', { name: 'Search deployments' }).fill(name);
    const add = dialog.getByRole('button', { name: `Add ${name}`, exact: true });
    await expect(add).toBeVisible();
    const added = waitForApi(page, 'POST', /^\/api\/v1\/pipelines\/[^/]+\/steps$/);
    await add.click();
    expect((await added).status()).toBe(201);
    // Once in the pipeline, it is no longer offered.
    await expect(add).toBeHidden();
  }
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expectOrder(page, [net, db, web]);

  // --- Setting the execution order: arrows ---------------------------------------------------------------
  await expect(page.getByRole('button', { name: `Move ${net} up` })).toBeDisabled();
  await expect(page.getByRole('button', { name: `Move ${web} down` })).toBeDisabled();
  let saved = waitForReorder(page);
  await page.getByRole('button', { name: `Move ${web} up` }).click();
  expect((await saved).status()).toBe(200);
  await expectOrder(page, [net, web, db]);
  saved = waitForReorder(page);
  await page.getByRole('button', { name: `Move ${web} down` }).click();
  expect((await saved).status()).toBe(200);
  await expectOrder(page, [net, db, web]);

  // --- ...and drag-and-drop: with the pointer, then with the keyboard --------------------------------------
  saved = waitForReorder(page);
  await dragOnto(page, page.getByRole('button', { name: `Drag ${db}` }), page.getByRole('button', { name: `Drag ${net}` }));
  expect((await saved).status()).toBe(200);
  await expectOrder(page, [db, net, web]);

  saved = waitForReorder(page);
  const handle = page.getByRole('button', { name: `Drag ${db}` });
  await handle.focus();
  // Each key waits for the drag's visible or spoken state, so it lands after the sensor is listening.
  await page.keyboard.press('Space');
  await expect(handle).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByText(`${db} is over position 2 of 3.`)).toBeAttached();
  await page.keyboard.press('Space');
  expect((await saved).status()).toBe(200);
  await expectOrder(page, [net, db, web]);

  // The order is the server's, not only the screen's.
  await page.reload();
  await expectOrder(page, [net, db, web]);

  // --- Running the pipeline: each step asks for its plan and apply approvals in turn ----------------------
  await runPipeline(page, pipelineName, 1);
  const step = (position: number, name: string) => page.getByRole('listitem', { name: `Step ${position}: ${name}` });
  await approveStep(page, step(1, net));
  await approveStep(page, step(2, db));
  await approveStep(page, step(3, web));
  await expect(runStatus(page)).toContainText('Completed', { timeout: TERRAFORM });
  for (const [position, name] of [[1, net], [2, db], [3, web]] as const) {
    await expect(step(position, name)).toContainText('Completed');
  }
  await expect(step(1, net).getByRole('link', { name: 'View run: plan, log, outputs' })).toHaveAttribute(
    'href',
    /\/aws\/runs\/[^/]+$/,
  );

  // --- A failing step stops the pipeline ----------------------------------------------------------------
  await patch(request, `/api/v1/deployments/${database.id}`, { variables: { fail_apply: true } });
  await page.getByRole('link', { name: new RegExp(escapeRegExp(pipelineName)) }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: pipelineName })).toBeVisible();
  await runPipeline(page, pipelineName, 2);
  // The network is up to date: skipped without approvals.
  await expect(step(1, net)).toContainText('Skipped', { timeout: TERRAFORM });
  await expect(step(1, net).getByRole('button', { name: /Approve/ })).toHaveCount(0);
  await approveStep(page, step(2, db));
  await expect(runStatus(page)).toContainText('Failed', { timeout: TERRAFORM });
  await expect(step(2, db)).toContainText('Failed');
  await expect(step(3, web)).toContainText('Not run');

  // --- Fix the deployment and run again: only what changed asks for approval ----------------------------
  await patch(request, `/api/v1/deployments/${database.id}`, { variables: { fail_apply: false } });
  await page.getByRole('link', { name: new RegExp(escapeRegExp(pipelineName)) }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: pipelineName })).toBeVisible();
  await runPipeline(page, pipelineName, 3);
  await expect(step(1, net)).toContainText('Skipped', { timeout: TERRAFORM });
  await approveStep(page, step(2, db));
  await expect(runStatus(page)).toContainText('Completed', { timeout: TERRAFORM });
  await expect(step(3, web)).toContainText('Skipped');

  // The history lists the three runs, newest first.
  await page.getByRole('link', { name: new RegExp(escapeRegExp(pipelineName)) }).first().click();
  const history = page.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row')).toHaveCount(4);
  await expect(history.getByRole('row').nth(1)).toContainText('#3');
  await expect(history.getByRole('row').nth(1)).toContainText('Completed');
  await expect(history.getByRole('row').nth(2)).toContainText('Failed');
});
