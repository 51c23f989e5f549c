import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { escapeRegExp } from './helpers';

/*
 * Issue 14 against the real API, PostgreSQL and Terraform: wire a database's endpoint into the application step and
 * see the value used; make the middle step fail, resume, and see only the failed and later steps run; destroy the
 * pipeline and see the reverse order.
 */

const TERRAFORM = 90_000;

async function send<T>(request: APIRequestContext, method: 'post' | 'patch', url: string, data?: unknown): Promise<T> {
  const response = await request[method](url, { data });
  expect(response.ok(), `${url} answered ${response.status()}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

function waitForApi(page: Page, method: string, path: RegExp) {
  return page.waitForResponse(
    (response) => response.request().method() === method && path.test(new URL(response.url()).pathname),
    { timeout: 30_000 },
  );
}

/** Approves the plan, then the apply, of one step of the run view. */
async function approveStep(page: Page, step: Locator) {
  await expect(step).toHaveAttribute('aria-current', 'step', { timeout: TERRAFORM });
  const approvePlan = step.getByRole('button', { name: 'Approve Plan' });
  await expect(approvePlan).toBeVisible({ timeout: TERRAFORM });
  const planApproved = waitForApi(page, 'POST', /^\/api\/v1\/deployment-runs\/[^/]+\/approve-plan$/);
  await approvePlan.click();
  expect((await planApproved).status()).toBe(200);
  const approveApply = step.getByRole('button', { name: 'Approve Apply' });
  await expect(approveApply).toBeVisible({ timeout: TERRAFORM });
  const applyApproved = waitForApi(page, 'POST', /^\/api\/v1\/deployment-runs\/[^/]+\/approve-apply$/);
  await approveApply.click();
  expect((await applyApproved).status()).toBe(200);
}

test('outputs flow into later steps, a failed run resumes from its failed step, and a destroy goes in reverse', async ({
  page,
  request,
}) => {
  test.setTimeout(900_000);
  const stamp = Date.now();
  const pipelineName = `e2e-chain-${stamp}`;
  const [net, db, web] = [`e2e-chain-net-${stamp}`, `e2e-chain-db-${stamp}`, `e2e-chain-web-${stamp}`];

  // --- Setup through the API: three deployments in a pipeline; the database fails its apply for now -------
  await send(request, 'post', '/api/v1/templates/sync');
  const project = await send<{ id: string }>(request, 'post', '/api/v1/projects', { provider: 'aws', name: `e2e-chain-${stamp}` });
  const environment = await send<{ id: string }>(request, 'post', '/api/v1/cloud-environments', {
    provider: 'aws',
    name: `e2e-chain-env-${stamp}`,
    region: 'eu-west-1',
    accountId: '123456789012',
  });
  const deploy = (name: string, templateId: string, variables: Record<string, unknown>) =>
    send<{ id: string }>(request, 'post', '/api/v1/deployments', {
      projectId: project.id,
      templateId,
      cloudEnvironmentId: environment.id,
      name,
      variables,
    });
  const netDeployment = await deploy(net, 'aws-network', { name: 'net' });
  const dbValues = { name: `orders${stamp}`, admin_password: 'Sup3r-secret', fail_apply: true };
  const database = await deploy(db, 'aws-database', dbValues);
  const webDeployment = await deploy(web, 'aws-application', { name: 'web', image: 'nginx:1' });
  const pipeline = await send<{ id: string }>(request, 'post', '/api/v1/pipelines', { provider: 'aws', name: pipelineName });
  for (const deploymentId of [netDeployment.id, database.id, webDeployment.id]) {
    await send(request, 'post', `/api/v1/pipelines/${pipeline.id}/steps`, { deploymentId });
  }

  // --- Wiring: the application takes the database's endpoint --------------------------------------------------
  await page.goto(`/aws/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: `Inputs of ${web}` }).click();
  const dialog = page.getByRole('dialog', { name: `Inputs of ${web}` });
  await dialog.getByRole('button', { name: 'Add input' }).click();
  await dialog.getByRole('combobox', { name: 'Variable 1' }).click();
  await page.getByRole('option', { name: /^db_endpoint \(string\)/ }).click();
  await dialog.getByRole('combobox', { name: 'Value from 1' }).click();
  await page.getByRole('option', { name: new RegExp(`^${escapeRegExp(db)}\\.endpoint`) }).click();
  const saved = waitForApi(page, 'PUT', /^\/api\/v1\/pipelines\/[^/]+\/steps\/[^/]+\/inputs$/);
  await dialog.getByRole('button', { name: 'Save inputs' }).click();
  expect((await saved).status()).toBe(200);
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('list', { name: `Inputs of ${web}` })).toHaveText(`db_endpoint ← ${db}.endpoint`);

  // Removing the database would break that wiring: the dialog says so before anything happens.
  await page.getByRole('button', { name: `Remove ${db}` }).click();
  const removal = page.getByRole('dialog', { name: 'Remove from pipeline' });
  await expect(removal).toContainText(`${web}.db_endpoint`);
  await removal.getByRole('button', { name: 'Cancel' }).click();

  // --- Run #1: the network applies, the database fails, the application does not run ------------------------
  const triggered = waitForApi(page, 'POST', /^\/api\/v1\/pipelines\/[^/]+\/runs$/);
  await page.getByRole('button', { name: 'Run Pipeline' }).click();
  expect((await triggered).status()).toBe(202);
  await expect(page.getByRole('heading', { level: 1, name: `Run #1 of ${pipelineName}` })).toBeVisible();
  await expect(page.getByText('Execute · in order')).toBeVisible();
  const step = (position: number, name: string) => page.getByRole('listitem', { name: `Step ${position}: ${name}` });
  await approveStep(page, step(1, net));
  await approveStep(page, step(2, db));
  const status = page.getByRole('status', { name: 'Run status' });
  await expect(status).toContainText('Failed', { timeout: TERRAFORM });
  await expect(step(3, web)).toContainText('Not run');
  await expect(step(3, web).getByRole('list', { name: `Inputs of ${web}` })).toContainText(`db_endpoint ← ${db}.endpoint (step 2)`);

  // --- Fix the database, resume from step 2: step 1 is skipped, 2 and 3 run -----------------------------------
  await send(request, 'patch', `/api/v1/deployments/${database.id}`, { variables: { ...dbValues, fail_apply: false } });
  await page.getByRole('button', { name: 'Resume from step 2' }).click();
  const resume = page.getByRole('dialog', { name: 'Resume run #1' });
  await expect(resume.getByRole('list', { name: 'Steps skipped' })).toHaveText(`Step 1: ${net}`);
  await expect(resume.getByRole('list', { name: 'Steps run again' })).toContainText(`Step 2: ${db}`);
  const resumed = waitForApi(page, 'POST', /^\/api\/v1\/pipeline-runs\/[^/]+\/resume$/);
  await resume.getByRole('button', { name: 'Resume from step 2' }).click();
  expect((await resumed).status()).toBe(202);
  await expect(page.getByRole('heading', { level: 1, name: `Run #2 of ${pipelineName}` })).toBeVisible();
  await expect(step(1, net)).toContainText('Completed in the run this one resumes');
  await approveStep(page, step(2, db));
  await approveStep(page, step(3, web));
  await expect(status).toContainText('Completed', { timeout: TERRAFORM });

  // The application ran with the database's endpoint: its run shows it as an output.
  await step(3, web).getByRole('link', { name: 'View run: plan, log, outputs' }).click();
  await expect(
    page.getByRole('table', { name: 'Outputs' }).getByRole('row', { name: /db_endpoint/ }),
  ).toContainText(`orders${stamp}.aws-db.internal:5432`, { timeout: TERRAFORM });

  // --- Destroy the pipeline: typed confirmation, the reverse order previewed and then run ---------------------
  await page.goto(`/aws/pipelines/${pipeline.id}`);
  await page.getByRole('button', { name: 'Destroy pipeline…' }).click();
  const destroy = page.getByRole('dialog', { name: 'Destroy pipeline' });
  await expect(destroy.getByRole('list', { name: 'Destroy order' }).getByRole('listitem')).toHaveText([
    new RegExp(`^${escapeRegExp(web)}`),
    new RegExp(`^${escapeRegExp(db)}`),
    new RegExp(`^${escapeRegExp(net)}`),
  ]);
  const confirm = destroy.getByRole('button', { name: 'Destroy pipeline' });
  await expect(confirm).toBeDisabled();
  await destroy.getByRole('textbox', { name: `Type “${pipelineName}” to confirm` }).fill(pipelineName);
  const destroyStarted = waitForApi(page, 'POST', /^\/api\/v1\/pipelines\/[^/]+\/runs$/);
  await confirm.click();
  expect((await destroyStarted).status()).toBe(202);
  await expect(page.getByRole('heading', { level: 1, name: `Run #3 of ${pipelineName}` })).toBeVisible();
  await expect(page.getByText('Destroy · reverse order (last step first)')).toBeVisible();
  await approveStep(page, step(1, web));
  await approveStep(page, step(2, db));
  await approveStep(page, step(3, net));
  await expect(status).toContainText('Completed', { timeout: TERRAFORM });
});
