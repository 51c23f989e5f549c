import { expect, test } from '@playwright/test';
import { escapeRegExp, problemMessage, waitForApi } from './helpers';

test('a project is created, refused twice under one name, edited and deleted', async ({ page }) => {
  const name = `e2e-project-${Date.now()}`;

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Select a cloud provider' })).toBeVisible();
  await page.getByRole('link', { name: /\bAWS\b/ }).click();
  await expect(page).toHaveURL(/\/aws\/pipelines$/);

  await page.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page).toHaveURL(/\/aws\/projects/);
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();

  // Only this test's project is listed from here on (other runs' projects may fill the first page).
  await page.getByRole('searchbox', { name: 'Search projects' }).fill(name);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${escapeRegExp(name)}`));

  // Create
  await page.getByRole('button', { name: 'Create project', exact: true }).click();
  const createDialog = page.getByRole('dialog', { name: 'Create project' });
  await createDialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await createDialog.getByLabel('Description', { exact: true }).fill('Created by the e2e test');
  const created = waitForApi(page, 'POST', /^\/api\/v1\/projects$/);
  await createDialog.getByRole('button', { name: 'Create project', exact: true }).click();
  expect((await created).status()).toBe(201);
  await expect(createDialog).toBeHidden();

  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Created by the e2e test');

  // The same name again is a conflict, shown on the form
  await page.getByRole('button', { name: 'Create project', exact: true }).click();
  const duplicateDialog = page.getByRole('dialog', { name: 'Create project' });
  await duplicateDialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  const refused = waitForApi(page, 'POST', /^\/api\/v1\/projects$/);
  await duplicateDialog.getByRole('button', { name: 'Create project', exact: true }).click();
  const conflict = await refused;
  expect(conflict.status()).toBe(409);
  const message = problemMessage(await conflict.json(), 'name');
  expect(message).not.toBe('');
  await expect(duplicateDialog.getByRole('textbox', { name: 'Name', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(duplicateDialog.getByText(message, { exact: false })).toBeVisible();
  await duplicateDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(duplicateDialog).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(1);

  // Edit the description
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const editDialog = page.getByRole('dialog', { name: 'Edit project' });
  await expect(editDialog.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(name);
  await editDialog.getByLabel('Description', { exact: true }).fill('Edited by the e2e test');
  const patched = waitForApi(page, 'PATCH', /^\/api\/v1\/projects\/[^/]+$/);
  await editDialog.getByRole('button', { name: 'Save changes' }).click();
  expect((await patched).status()).toBe(200);
  await expect(editDialog).toBeHidden();
  await expect(row).toContainText('Edited by the e2e test');

  // Delete, after confirming
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete project' });
  await expect(confirm).toContainText(name);
  const deleted = waitForApi(page, 'DELETE', /^\/api\/v1\/projects\/[^/]+$/);
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  expect((await deleted).status()).toBe(204);
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  await expect(page.getByText('No matching projects')).toBeVisible();
});
