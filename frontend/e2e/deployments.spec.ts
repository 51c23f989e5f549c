import { expect, test } from '@playwright/test';
import { chooseOption, createProjectAndEnvironment, escapeRegExp, problemMessage, waitForApi } from './helpers';

test('a database deployment is created through the wizard, shows the server’s message at its field, keeps its password secret and is edited', async ({
  page,
}) => {
  const stamp = Date.now();
  const { project, environment } = await createProjectAndEnvironment(page.request, stamp);
  const name = `e2e-db-${stamp}`;
  const secret = `e2e-secret-${stamp}`;

  // From the template's card to the wizard, the template already chosen
  await page.goto('/aws/templates?category=database');
  await page.getByRole('article', { name: 'RDS PostgreSQL' }).getByRole('link', { name: /Create deployment/ }).click();
  await expect(page).toHaveURL(/\/aws\/deployments\/new\?templateId=aws-database$/);

  // Environment
  await expect(page.getByRole('heading', { name: 'Environment' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Template', exact: true })).toHaveValue('RDS PostgreSQL (database)');
  await chooseOption(page, 'Project', project.name);
  await chooseOption(page, 'Cloud environment', `${environment.name} (${environment.region})`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'Description', exact: true }).fill('Made by the e2e test');
  await page.getByRole('button', { name: 'Next' }).click();

  // Variables: one input per type, defaults filled in
  await expect(page.getByRole('heading', { name: 'Variables' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'engine_version' })).toHaveValue('16');
  await expect(page.getByRole('textbox', { name: 'storage_gb' })).toHaveValue('20');
  await expect(page.getByRole('textbox', { name: 'admin_password', exact: true })).toHaveAttribute('type', 'password');
  await expect(page.getByRole('textbox', { name: 'region' })).toHaveValue('');
  await page.getByRole('textbox', { name: 'name', exact: true }).fill(`orders${stamp}`);
  await chooseOption(page, 'engine_version', '17');
  await page.getByRole('textbox', { name: 'storage_gb' }).fill('50');
  await page.getByRole('switch', { name: 'high_availability' }).check({ force: true });
  await expect(page.getByRole('switch', { name: 'high_availability' })).toBeChecked();
  await expect(page.getByRole('switch', { name: 'fail_apply' })).not.toBeChecked();
  // admin_password is left empty on purpose: the client does not block it, the server's message lands on it.
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { name: 'Tags' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Tags' }).fill('e2e');
  await page.getByRole('combobox', { name: 'Tags' }).press('Enter');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { name: 'Review' })).toBeVisible();
  const summary = page.getByRole('table', { name: 'Summary' });
  await expect(summary).toContainText(project.name);
  await expect(summary).toContainText(name);
  const rejected = waitForApi(page, 'POST', /^\/api\/v1\/deployments$/);
  await page.getByRole('button', { name: 'Create deployment' }).click();
  const invalid = await rejected;
  expect(invalid.status()).toBe(400);
  const problem = await invalid.json();
  expect(Object.keys(problem.errors)).toEqual(['variables.admin_password']);

  // Back on the Variables step, the message at the password
  await expect(page.getByRole('heading', { name: 'Variables' })).toBeVisible();
  const password = page.getByRole('textbox', { name: 'admin_password', exact: true });
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(
    new RegExp(escapeRegExp(problemMessage(problem, 'variables.admin_password'))),
  );
  await password.fill(secret);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('table', { name: 'Variables to create with' }).getByRole('row', { name: /admin_password/ })).toContainText(
    '••••',
  );
  await expect(page.getByText(secret)).toHaveCount(0);

  const accepted = waitForApi(page, 'POST', /^\/api\/v1\/deployments$/);
  await page.getByRole('button', { name: 'Create deployment' }).click();
  const created = await accepted;
  expect(created.status()).toBe(201);
  const body = await created.text();
  expect(body).not.toContain(secret);
  const deployment = JSON.parse(body) as { id: string };

  // The detail page lists the password as set, never its value
  await expect(page).toHaveURL(new RegExp(`/aws/deployments/${deployment.id}$`));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const variables = page.getByRole('table', { name: 'Variables' });
  await expect(variables.getByRole('row', { name: /admin_password/ })).toContainText('set');
  await expect(variables.getByRole('row', { name: /engine_version/ })).toContainText('17');
  await expect(variables.getByRole('row', { name: /storage_gb/ })).toContainText('50');
  await expect(variables.getByRole('row', { name: /^region/ })).toContainText('eu-west-1');
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Overview' })).toContainText('Never deployed');

  // Edit the description; the password input starts empty and is not sent
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/aws/deployments/${deployment.id}/edit$`));
  const editPassword = page.getByRole('textbox', { name: 'admin_password', exact: true });
  await expect(editPassword).toHaveValue('');
  await expect(editPassword).toHaveAttribute('placeholder', 'unchanged — type to replace');
  await page.getByRole('textbox', { name: 'Description', exact: true }).fill('Edited by the e2e test');
  const saved = waitForApi(page, 'PATCH', /^\/api\/v1\/deployments\/[^/]+$/);
  await page.getByRole('button', { name: 'Save changes' }).click();
  const patch = await saved;
  expect(patch.status()).toBe(200);
  expect(patch.request().postDataJSON().variables).not.toHaveProperty('admin_password');
  expect(await patch.text()).not.toContain(secret);

  await expect(page).toHaveURL(new RegExp(`/aws/deployments/${deployment.id}$`));
  await expect(page.getByText('Edited by the e2e test')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Variables' }).getByRole('row', { name: /admin_password/ })).toContainText('set');
});
