import { expect, test } from '@playwright/test';
import { escapeRegExp, problemMessage, waitForApi } from './helpers';

test("a cloud environment shows the server's validation, keeps its credentials write-only and is deleted", async ({
  page,
}) => {
  const stamp = Date.now();
  const name = `e2e-env-${stamp}`;
  const secret = `e2e-secret-${stamp}`;

  await page.goto('/aws/cloud-environments');
  await expect(page.getByRole('heading', { level: 1, name: 'Cloud environments' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search cloud environments' }).fill(name);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${escapeRegExp(name)}`));

  await page.getByRole('button', { name: 'Create cloud environment', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Create cloud environment' });
  await dialog.getByRole('textbox', { name: 'Region', exact: true }).fill('eu-west-1');
  await dialog.getByRole('textbox', { name: 'Account ID', exact: true }).fill('123456789012');
  await dialog.getByLabel('Variable name (credential 1)').fill('AWS_ACCESS_KEY_ID');
  await dialog.getByLabel('Value (credential 1)').fill(secret);

  // The name is left empty on purpose: the browser does not block it, the API's message is shown on the field.
  const rejected = waitForApi(page, 'POST', /^\/api\/v1\/cloud-environments$/);
  await dialog.getByRole('button', { name: 'Create cloud environment', exact: true }).click();
  const invalid = await rejected;
  expect(invalid.status()).toBe(400);
  const problem = await invalid.json();
  expect(problem.errors?.name?.length ?? 0).toBeGreaterThan(0);
  const nameInput = dialog.getByRole('textbox', { name: 'Name', exact: true });
  await expect(nameInput).toHaveAttribute('aria-invalid', 'true');
  await expect(nameInput).toHaveAccessibleDescription(new RegExp(escapeRegExp(problemMessage(problem, 'name'))));

  await nameInput.fill(name);
  const accepted = waitForApi(page, 'POST', /^\/api\/v1\/cloud-environments$/);
  await dialog.getByRole('button', { name: 'Create cloud environment', exact: true }).click();
  const created = await accepted;
  expect(created.status()).toBe(201);
  const body = await created.text();
  expect(body).not.toContain(secret);
  expect(JSON.parse(body).credentialKeys).toEqual(['AWS_ACCESS_KEY_ID']);
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('AWS_ACCESS_KEY_ID: set');
  await expect(page.getByText(secret)).toHaveCount(0);

  // Editing shows the credential as set, with an empty value
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const editDialog = page.getByRole('dialog', { name: 'Edit cloud environment' });
  await expect(editDialog.getByText('AWS_ACCESS_KEY_ID', { exact: true })).toBeVisible();
  await expect(editDialog.getByLabel('New value for AWS_ACCESS_KEY_ID')).toHaveValue('');
  await editDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(editDialog).toBeHidden();

  // Delete, after confirming
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete cloud environment' });
  const deleted = waitForApi(page, 'DELETE', /^\/api\/v1\/cloud-environments\/[^/]+$/);
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  expect((await deleted).status()).toBe(204);
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
});
