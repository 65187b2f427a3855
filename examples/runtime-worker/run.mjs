// fetchstack in a Cloudflare Worker: bundles worker.mjs with esbuild (workerd
// conditions) and runs it in workerd under miniflare against the local server.
//   node examples/runtime-worker/run.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, startLocal } from '@fetchstack-examples/local-server';
import * as esbuild from 'esbuild';
import { Miniflare } from 'miniflare';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = await esbuild.build({
  entryPoints: [join(here, 'worker.mjs')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2022',
  logLevel: 'error',
});
const local = await startLocal();
const mf = new Miniflare({
  modules: true,
  script: bundle.outputFiles[0].text,
  compatibilityDate: '2025-09-01',
  // No compatibility flag: the packages need none (with `nodejs_compat`, a bearer `refresh`
  // that calls the session itself is also told apart, see @fetchstack/auth's README).
  bindings: { BASE: local.test },
});
try {
  const res = await mf.dispatchFetch('http://worker.local/');
  const result = await res.json();
  console.log('worker result:', JSON.stringify(result));
  check(!result.error, result.error);
  check(
    result.header === 'workerd' && result.cookie === 'rt=workerd',
    'headers and cookies from the worker',
  );
  check(result.tries === 2, 'the session retried once');
} finally {
  await mf.dispose();
  await local.close();
}
