import type { Page, Response } from '@playwright/test';

/** Waits for the API's answer to `METHOD /api/v1/<path>` (path may end in an id); start it before the click. */
export function waitForApi(page: Page, method: string, path: RegExp): Promise<Response> {
  return page.waitForResponse((response) => {
    const url = new URL(response.url());
    return response.request().method() === method && path.test(url.pathname);
  });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first message a problem document gives for a field, else its detail, else its title. */
export function problemMessage(problem: { title?: string; detail?: string; errors?: Record<string, string[]> }, field?: string) {
  return (field && problem.errors?.[field]?.[0]) || problem.detail || problem.title || '';
}
