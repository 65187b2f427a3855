// fetchstack in a browser page: bundles page.mjs with esbuild (browser
// condition), serves it from the local test server and drives Debian's
// Chromium with playwright-core.
//   node examples/runtime-browser/run.mjs
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, startLocal } from '@fetchstack-examples/local-server';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync('/usr/bin/chromium')) {
  console.log('SKIP: /usr/bin/chromium is not installed (apt-get install chromium)');
  process.exit(0);
}
const bundle = await esbuild.build({
  entryPoints: [join(here, 'page.mjs')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  conditions: ['browser'],
  target: 'es2022',
  logLevel: 'error',
});
const local = await startLocal();
const profile = mkdtempSync(join(tmpdir(), 'fetchstack-example-'));
let context;
try {
  local.serveStatic('page.mjs', 'text/javascript', bundle.outputFiles[0].text);
  local.serveStatic(
    'index.html',
    'text/html',
    '<!doctype html><meta charset="utf-8"><script type="module" src="/__static/page.mjs"></script>',
  );
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${local.test}__static/index.html`);
  await page.waitForFunction(() => globalThis.__result !== undefined, undefined, {
    timeout: 20_000,
  });
  const result = await page.evaluate(() => globalThis.__result);
  console.log('page result:', JSON.stringify(result));
  check(!result.error, result.error);
  check(result.header === 'browser', 'session header sent from the page');
  check(result.cookie === 'rt=browser', "the browser's jar kept the cookie");
  check(result.tries === 2, 'the session retried once');
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  await local.close();
}
