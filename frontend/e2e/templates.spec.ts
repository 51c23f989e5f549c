import { expect, test } from '@playwright/test';
import { waitForApi } from './helpers';

test('syncing templates reports what it did, shows the cards and filters them by category', async ({ page }) => {
  await page.goto('/aws/templates');
  await expect(page.getByRole('heading', { level: 1, name: 'Templates' })).toBeVisible();

  const synced = waitForApi(page, 'POST', /^\/api\/v1\/templates\/sync$/);
  await page.getByRole('button', { name: 'Sync Templates', exact: true }).click();
  const response = await synced;
  expect(response.status()).toBe(200);
  const result = await response.json();

  const report = page.getByRole('status', { name: 'Templates synced' });
  await expect(report).toBeVisible();
  for (const [label, key] of [
    ['Imported', 'imported'],
    ['Updated', 'updated'],
    ['Unchanged', 'unchanged'],
    ['Removed', 'removed'],
    ['Rejected', 'rejected'],
  ] as const) {
    await expect(report).toContainText(`${label}: ${result[key].length}`);
  }
  // Every aws example template is in the catalogue, whether this sync imported it or an earlier one did.
  expect([...result.imported, ...result.updated, ...result.unchanged]).toEqual(
    expect.arrayContaining(['aws-database', 'aws-network', 'aws-application']),
  );

  const database = page.getByRole('article', { name: 'RDS PostgreSQL' });
  await expect(database).toBeVisible();
  await expect(database).toContainText('database');
  await expect(database).toContainText(/\d+ variables/);
  await expect(page.getByRole('article', { name: 'VPC network' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'ECS service' })).toBeVisible();

  const filtered = waitForApi(page, 'GET', /^\/api\/v1\/templates$/);
  await page.getByText('Database', { exact: true }).click();
  expect(new URL((await filtered).url()).searchParams.get('category')).toBe('database');
  await expect(page).toHaveURL(/[?&]category=database/);
  await expect(page.getByRole('article', { name: 'VPC network' })).toHaveCount(0);
  await expect(page.getByRole('article', { name: 'ECS service' })).toHaveCount(0);
  await expect(database).toBeVisible();
  for (const card of await page.getByRole('article').all()) {
    await expect(card).toContainText('database');
  }

  await database.getByRole('link', { name: 'Create deployment from RDS PostgreSQL' }).click();
  await expect(page).toHaveURL(/\/aws\/deployments\/new\?templateId=aws-database$/);
  await expect(page.getByRole('combobox', { name: 'Template' })).toHaveValue('RDS PostgreSQL (database)');
});
