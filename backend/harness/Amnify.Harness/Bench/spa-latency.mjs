// The run view's latency, measured in Chromium: for each run id given, opens /aws/runs/<id> signed in, waits
// until it shows the run queued, prints `READY <id>`, then waits until the view shows it cancelled and
// prints `SEEN <id> <epoch ms>`. The bench cancels the run (a real state change through the API) when it
// reads READY and compares the times. playwright-core comes from the frontend's node_modules.
// usage: node spa-latency.mjs <frontend dir> <base url> <email> <password> <run id>...
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const [frontend, baseUrl, email, password, ...runIds] = process.argv.slice(2);
const require = createRequire(path.join(frontend, 'package.json'));
const { chromium } = require('playwright-core');

const now = () => performance.timeOrigin + performance.now();
const lines = readline.createInterface({ input: process.stdin });
const waiting = [];
lines.on('line', (line) => waiting.shift()?.(line));
const nextLine = () => new Promise((resolve) => waiting.push(resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ baseURL: baseUrl });
  const login = await context.request.post('/api/v1/auth/login', { data: { email, password }, headers: { 'X-Amnify-Client': 'bench' } });
  if (login.status() !== 200) throw new Error(`login answered ${login.status()}: ${await login.text()}`);
  const page = await context.newPage();
  for (const id of runIds) {
    await page.goto(`/aws/runs/${id}`);
    const status = page.locator('[role="status"][aria-label="Run status"]');
    await status.filter({ hasText: /queued/i }).waitFor({ timeout: 30000 });
    console.log(`READY ${id}`);
    const seen = page.waitForFunction(
      () => /cancel/i.test(document.querySelector('[role="status"][aria-label="Run status"]')?.textContent ?? ''),
      null, { polling: 'raf', timeout: 30000 });
    await seen;
    console.log(`SEEN ${id} ${now().toFixed(3)}`);
    await nextLine(); // the bench has recorded its side
  }
} finally {
  lines.close();
  await browser.close();
}
process.exit(0);
