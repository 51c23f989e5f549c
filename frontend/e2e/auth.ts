import { expect, type APIRequestContext } from '@playwright/test';

/** Where the global setup saves the e2e admin's session (cookie) for every spec. */
export const ADMIN_STORAGE_STATE = 'test-results/.auth/admin.json';

/** The e2e admin, created at the API's first start from AMNIFY_ADMIN_EMAIL / AMNIFY_ADMIN_PASSWORD (.ci/e2e.sh). */
export function adminCredentials(): { email: string; password: string } {
  const email = process.env.E2E_ADMIN_EMAIL;
  const password = process.env.E2E_ADMIN_PASSWORD;
  if (!email || !password) {
    throw new Error('Set E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD to the admin the API was started with (see .ci/e2e.sh).');
  }
  return { email, password };
}

/** Signs a request context in through the API: its cookie jar then holds the session. */
export async function signInThroughApi(request: APIRequestContext, credentials: { email: string; password: string }) {
  const response = await request.post('/api/v1/auth/login', {
    data: credentials,
    headers: { 'X-Amnify-Client': 'e2e' },
  });
  expect(response.status(), await response.text()).toBe(200);
}
