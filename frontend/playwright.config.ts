import { defineConfig } from '@playwright/test';
import { ADMIN_STORAGE_STATE } from './e2e/auth';

// Runs against the real API (which serves the built SPA); the Makefile starts it. No webServer here.
// The global setup signs in as the e2e admin once: every spec starts signed in (page and `request` alike).
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  outputDir: './test-results/e2e-artifacts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:5080',
    browserName: 'chromium',
    storageState: ADMIN_STORAGE_STATE,
    // Changes made with the session cookie must say which client sends them (anti-forgery).
    extraHTTPHeaders: { 'X-Amnify-Client': 'e2e' },
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
