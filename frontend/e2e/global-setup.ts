import { request, type FullConfig } from '@playwright/test';
import { ADMIN_STORAGE_STATE, adminCredentials, signInThroughApi } from './auth';

/** Signs in once as the e2e admin and saves the session for every spec (`use.storageState`). */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL;
  const context = await request.newContext({ baseURL });
  try {
    await signInThroughApi(context, adminCredentials());
    await context.storageState({ path: ADMIN_STORAGE_STATE });
  } finally {
    await context.dispose();
  }
}
