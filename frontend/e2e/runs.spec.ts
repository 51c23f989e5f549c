import { expect, test } from '@playwright/test';
import { apiHeaders, createProjectAndEnvironment, waitForApi } from './helpers';

// Terraform runs for real: init, plan and apply take seconds each on this machine.
const wait = { timeout: 60_000 };
test.setTimeout(300_000);

test('a network deployment is executed and destroyed through both approvals, with live log and outputs', async ({
  page,
}) => {
  const stamp = Date.now();
  const { project, environment } = await createProjectAndEnvironment(page.request, stamp);
  const name = `e2e-net-${stamp}`;
  const made = await page.request.post('/api/v1/deployments', {
    headers: apiHeaders,
    data: {
      projectId: project.id,
      templateId: 'aws-network',
      cloudEnvironmentId: environment.id,
      name,
      variables: { name: `net${stamp}` },
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  const deployment = (await made.json()) as { id: string };

  await page.goto(`/aws/deployments/${deployment.id}`);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('No runs yet.')).toBeVisible();

  // Execute → the run page, live
  const triggered = waitForApi(page, 'POST', /^\/api\/v1\/deployments\/[^/]+\/runs$/);
  await page.getByRole('button', { name: 'Execute', exact: true }).click();
  expect((await triggered).status()).toBe(202);
  await expect(page).toHaveURL(/\/aws\/runs\/[0-9a-f-]+$/);
  await expect(page.getByRole('heading', { level: 1, name: `Execute ${name}` })).toBeVisible();

  const status = page.getByRole('status', { name: 'Run status' });
  await page.getByRole('button', { name: 'Approve Plan' }).click(wait);
  await expect(page.getByRole('group', { name: /^Plan: / })).toContainText('+3 to add');
  await expect(page.getByRole('list', { name: 'Resource changes' })).toContainText('terraform_data.network');
  await page.getByRole('button', { name: 'Show full plan' }).click();
  await expect(page.getByLabel('Full plan')).toContainText('terraform_data.network', wait);

  await page.getByRole('button', { name: 'Approve Apply' }).click(wait);
  await expect(status).toHaveText('Completed', wait);
  const outputs = page.getByRole('table', { name: 'Outputs' });
  await expect(outputs.getByRole('row', { name: /network_id/ })).toContainText(/aws-net-[0-9a-f]{8}/, wait);
  await expect(page.getByRole('log', { name: 'Run log' })).toContainText('Apply complete', wait);
  await expect(page.getByRole('button', { name: /Approve/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel run', exact: true })).toHaveCount(0);

  // Back to the deployment: deployed, with the run in its history
  await page.getByRole('link', { name: `← Back to deployment ${name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/aws/deployments/${deployment.id}$`));
  await expect(page.getByRole('region', { name: 'Overview' })).toContainText('Deployed', wait);
  await expect(page.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1)).toContainText('Completed');

  // Destroy needs the name typed, then both approvals again
  await page.getByRole('button', { name: 'Destroy', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Destroy deployment' });
  const confirm = dialog.getByRole('button', { name: 'Destroy', exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Deployment name to confirm' }).fill(name);
  await expect(confirm).toBeEnabled();
  const destroyTriggered = waitForApi(page, 'POST', /^\/api\/v1\/deployments\/[^/]+\/runs$/);
  await confirm.click();
  const destroyRun = await destroyTriggered;
  expect(destroyRun.status()).toBe(202);
  expect(destroyRun.request().postDataJSON()).toEqual({ operation: 'destroy' });
  await expect(page).toHaveURL(new RegExp(`/aws/runs/${(await destroyRun.json()).id}$`));
  await expect(page.getByRole('heading', { level: 1, name: `Destroy ${name}` })).toBeVisible();

  await page.getByRole('button', { name: 'Approve Plan' }).click(wait);
  await expect(page.getByRole('group', { name: /^Plan: / })).toContainText('-3 to destroy');
  await page.getByRole('button', { name: 'Approve Apply' }).click(wait);
  await expect(status).toHaveText('Destroyed', wait);
  await expect(page.getByRole('log', { name: 'Run log' })).toContainText('Resources: 0 added, 0 changed, 3 destroyed', wait);

  await page.getByRole('link', { name: `← Back to deployment ${name}` }).click();
  await expect(page.getByRole('region', { name: 'Overview' })).toContainText('Destroyed', wait);
  const history = page.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText(/Destroy.*Destroyed/);
  await expect(history.getByRole('row').nth(2)).toContainText(/Execute.*Completed/);
});
