// Section 3: memory. Heap and RSS slope per 10k requests (least squares over
// samples taken after a forced GC), open handles after close, and whether the
// process then exits by itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, slope, table } from './stats.mjs';
import { budget, budgetLines } from './throughput.mjs';

const worker = fileURLToPath(new URL('./memory-worker.mjs', import.meta.url));

function runWorker(who, base, total, concurrency) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', worker, who, base, String(total), String(concurrency)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let printedAt = 0;
    let killer;
    child.stdout.on('data', (d) => {
      out += d;
      if (!printedAt && out.includes('\n')) {
        printedAt = performance.now();
        killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      const line = out.trim().split('\n')[0];
      try {
        const result = JSON.parse(line);
        result.exitedByItself = signal !== 'SIGKILL';
        result.exitMs = printedAt ? performance.now() - printedAt : undefined;
        resolve(result);
      } catch {
        reject(
          new Error(
            `memory worker (${who}) exited ${signal ?? code}: ${(err || out).trim().split('\n').slice(-3).join(' / ')}`,
          ),
        );
      }
    });
  });
}

const SHORT_NOTE =
  'This is the default run\'s short pass: RSS is still settling at this length (see global fetch\'s own slope), so its RSS budget is judged by the 100,000-request `--memory` run (bench/README.md, "Memory, full 100,000 requests").';

export async function memory({ base, requests, log, concurrency = 16 }) {
  const rows = {};
  for (const who of ['fetch', 'session']) {
    log(`memory: ${requests.toLocaleString('en-US')} requests through ${who}`);
    try {
      rows[who] = await runWorker(who, base, requests, concurrency);
    } catch (error) {
      rows[who] = { skip: `failed: ${error.message.slice(0, 200)}` };
    }
    const r = rows[who];
    if (r.samples) {
      // The slope is fitted from 20% of the run on: the first stretch is warm-up
      // (JIT, pools, allocator arenas), not growth.
      const fit = r.samples.filter((s) => s.requests >= 0.2 * requests);
      const xs = fit.map((s) => s.requests / 10_000);
      r.heapSlopeMBPer10k = slope(
        xs,
        fit.map((s) => s.heapMB),
      );
      r.rssSlopeMBPer10k = slope(
        xs,
        fit.map((s) => s.rssMB),
      );
    }
  }
  const label = { fetch: 'global fetch (reference)', session: 'fetchstack session' };
  const body = Object.entries(rows).map(([who, r]) =>
    r.skip
      ? [label[who], r.skip, '', '', '', '', '', '']
      : [
          label[who],
          fmt(r.samples.at(-1).requests, 0),
          `${fmt(r.samples[0].heapMB)} → ${fmt(r.samples.at(-1).heapMB)}`,
          fmt(r.heapSlopeMBPer10k, 3),
          fmt(r.rssSlopeMBPer10k, 3),
          r.openHandles.length ? r.openHandles.join(', ') : 'none',
          r.exitedByItself ? `yes (${fmt(r.exitMs, 0)} ms)` : 'no (killed after 5 s)',
          r.cookies ?? '–',
        ],
  );
  const s = rows.session;
  /** A slope budget: < 0.5 MB per 10k requests, or why it was not measured. */
  const slopeBudget = (what, value) => {
    const name = `memory: ${what} slope < 0.5 MB per 10k requests`;
    if (!s?.samples) return budget(name, undefined, 0.5, s?.skip);
    return {
      ...budget(name, value, 0.5, undefined, { atMost: true }),
      display: `${value.toFixed(3)} MB/10k`,
    };
  };
  const budgets = [
    slopeBudget('heap', s?.heapSlopeMBPer10k),
    s?.samples && requests < 100_000
      ? {
          // RSS is still settling over the short pass (global fetch's too): not judged here.
          name: 'memory: RSS slope < 0.5 MB per 10k requests',
          met: null,
          status: 'judged by the 100,000-request `--memory` run',
          display: `${s.rssSlopeMBPer10k.toFixed(3)} MB/10k over this pass's ${requests.toLocaleString('en-US')} requests, still settling`,
        }
      : slopeBudget('RSS', s?.rssSlopeMBPer10k),
    s?.samples
      ? {
          name: 'memory: no open handle at exit (after session.close())',
          met: s.openHandles.length === 0 && s.exitedByItself,
          status: s.openHandles.length === 0 && s.exitedByItself ? 'met' : 'MISSED',
          display: s.openHandles.length
            ? s.openHandles.join(', ')
            : s.exitedByItself
              ? 'none'
              : 'process did not exit',
        }
      : budget('memory: no open handle at exit', undefined, 0, s?.skip),
  ];
  const markdown = [
    `${requests.toLocaleString('en-US')} GETs at concurrency ${concurrency} to the loopback server, every response setting \`sid\` (cookies on; retry and timeout armed with the session's defaults). ` +
      `Heap and RSS sampled after \`gc()\` every ${Math.max(1_000, Math.round(requests / 10)).toLocaleString('en-US')} requests; slope by least squares over the samples from 20% of the run on (the first stretch is warm-up). ` +
      'Open handles = `process.getActiveResourcesInfo()` after `close()` minus those before the client was made; then the process must exit by itself.' +
      (requests < 100_000 ? ` ${SHORT_NOTE}` : ''),
    '',
    table(
      [
        'client',
        'requests',
        'heap MB (first → last)',
        'heap slope MB/10k',
        'RSS slope MB/10k',
        'open handles after close',
        'exits by itself',
        'cookie check',
      ],
      body,
    ),
    '',
    budgetLines(budgets),
  ].join('\n');
  return { title: 'Memory', markdown, data: { requests, concurrency, rows, budgets } };
}
