// Fails when src/api/schema.d.ts is not what openapi-typescript makes of ../openapi.yaml.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(root, '../openapi.yaml');
const committed = join(root, 'src/api/schema.d.ts');
const bin = join(root, 'node_modules/.bin/openapi-typescript');

if (!existsSync(spec)) {
  console.error(`check:api: ${spec} does not exist.`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'check-api-'));
try {
  const fresh = join(dir, 'schema.d.ts');
  execFileSync(bin, [spec, '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  const current = existsSync(committed) ? readFileSync(committed, 'utf8') : '';
  if (readFileSync(fresh, 'utf8') !== current) {
    console.error('check:api: src/api/schema.d.ts is stale: it differs from what ../openapi.yaml generates.');
    console.error('Run `npm run gen:api` in frontend/ and commit the result.');
    process.exit(1);
  }
  console.log('check:api: src/api/schema.d.ts matches ../openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
