// Section 4: cold start. A fresh `node` process per try that imports the client
// and makes one request; wall time from spawn to exit, median of N, variants
// interleaved round by round.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from './fetchstack.mjs';
import { fmt, fmtRatio, median, ratio, table } from './stats.mjs';
import { budget, budgetLines } from './throughput.mjs';

const child = fileURLToPath(new URL('./cold-child.mjs', import.meta.url));
export const VARIANTS = [
  'global fetch',
  'undici.request',
  'ky',
  'got',
  'axios',
  'fetchstack transport',
  'fetchstack session',
];

function once(variant, url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [child, variant, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      const wall = performance.now() - t0;
      const exitedAt = Date.now();
      if (code !== 0)
        return reject(
          new Error(`${variant}: exit ${code}: ${err.trim().split('\n').slice(-2).join(' / ')}`),
        );
      const figures = JSON.parse(out.trim().split('\n').pop());
      resolve({ wall, exit: exitedAt - figures.exitAt, ...figures });
    });
  });
}

export async function coldstart({ base, runs, log }) {
  const session = await load('@fetchstack/session', 'createSession');
  const transport = await load('@fetchstack/proxy', 'createTransport');
  const loaded = { 'fetchstack session': session, 'fetchstack transport': transport };
  const variants = VARIANTS.filter((v) => loaded[v]?.ok !== false);
  const tries = Object.fromEntries(variants.map((v) => [v, []]));
  const failed = {};
  // A first, unmeasured round warms the OS file cache for every variant.
  for (let round = -1; round < runs; round++) {
    log(`cold start round ${round + 1}/${runs}`);
    for (const v of round % 2 ? variants : [...variants].reverse()) {
      if (failed[v]) continue;
      try {
        const r = await once(v, `${base}cold`);
        if (round >= 0) tries[v].push(r);
      } catch (error) {
        failed[v] = error.message.slice(0, 200);
      }
    }
  }
  const rows = {};
  for (const v of VARIANTS) {
    if (!variants.includes(v)) rows[v] = { status: loaded[v].reason };
    else if (failed[v]) rows[v] = { status: `failed: ${failed[v]}` };
    else
      rows[v] = {
        wallMs: median(tries[v].map((t) => t.wall)),
        importAndRequestMs: median(tries[v].map((t) => t.importAndRequest)),
        importMs: median(tries[v].map((t) => t.import)),
        requestMs: median(tries[v].map((t) => t.request)),
        cpuMs: median(tries[v].map((t) => t.cpu)),
        closeMs: median(tries[v].map((t) => t.close)),
        exitMs: median(tries[v].map((t) => t.exit)),
        tries: tries[v],
      };
  }
  const f = rows['global fetch'];
  const k = rows.ky;
  const body = VARIANTS.map((v) => {
    const r = rows[v];
    if (r.status) return [v, r.status, '', '', '', '', '', '', ''];
    return [
      v,
      fmt(r.wallMs, 1),
      fmtRatio(ratio(r.wallMs, f.wallMs)),
      fmt(r.importAndRequestMs, 1),
      fmt(r.importMs, 1),
      fmt(r.requestMs, 1),
      fmt(r.exitMs, 0),
      fmt(r.cpuMs, 1),
      fmtRatio(ratio(r.wallMs, k?.wallMs)),
    ];
  });
  const s = rows['fetchstack session'];
  const b = s.wallMs
    ? {
        ...budget(
          'cold start (import + first request) no slower than ky',
          s.wallMs,
          k.wallMs,
          undefined,
          { atMost: true },
        ),
        display: `${fmt(s.wallMs, 1)} ms vs ky ${fmt(k.wallMs, 1)} ms, ${fmtRatio(ratio(s.wallMs, k.wallMs))}`,
      }
    : budget('cold start (import + first request) no slower than ky', undefined, 0, s.status);
  const markdown = [
    `A fresh \`node\` process that imports the client and makes one GET to the loopback server, then exits; median of ${runs} (variants interleaved, after one unmeasured warm-up round). ` +
      '"wall" is spawn to exit (Node\'s own boot included, the same for all); "import + request" is measured inside the process, and split into the import and the request (the client made, the first response read). ' +
      '"CPU ms" is the CPU time the whole process used (all its threads, boot included): other load on the machine moves it less than wall time. ' +
      '"fetchstack transport" is `createTransport({})` of `@fetchstack/proxy` alone: the session\'s Node transport (undici, loaded from npm), without the session\'s layers and its cookie jar (tough-cookie). ' +
      `Every in-process figure stops when the body is read; the session (and the transport) then closes (\`session.close()\`${rows['fetchstack session']?.closeMs !== undefined ? `, ${fmt(rows['fetchstack session'].closeMs, 1)} ms` : ''}), which only its wall time includes. ` +
      '"exit ms" is from the `process.exit()` call to the parent seeing the process end (wall clocks of both, whole ms): part of the wall time. After an HTTP request made with undici (global fetch, ky, `undici.request`, the session) it is about 100 ms on this machine against under 10 ms after Node\'s own `http` (got, axios): at exit Node waits for V8 to finish compiling undici\'s HTTP parser, which is WebAssembly, in the background (with `--liftoff-only`, a V8 flag that turns that compiler off, the same exit takes 5 ms).',
    '',
    table(
      [
        'variant',
        'wall ms (median)',
        '÷ global fetch',
        'import + request ms',
        'import ms',
        'request ms',
        'exit ms',
        'CPU ms',
        '÷ ky',
      ],
      body,
    ),
    '',
    budgetLines([b]),
    ...split(rows),
  ].join('\n');
  return { title: 'Cold start', markdown, data: { runs, rows, budgets: [b] } };
}

/** Where the session's import + request goes beyond global fetch's, from the rows of this run. */
function split(rows) {
  const [fetchRow, transport, session] = [
    rows['global fetch'],
    rows['fetchstack transport'],
    rows['fetchstack session'],
  ];
  if (![fetchRow, transport, session].every((r) => r?.importAndRequestMs !== undefined)) return [];
  const ms = (a, b) => `${fmt(a.importAndRequestMs - b.importAndRequestMs, 1)} ms`;
  return [
    '',
    `Import + request, the session's beyond global fetch's: ${ms(transport, fetchRow)} for the transport alone (loading undici from npm, its first connection, and the transport's own code), then ${ms(session, transport)} more for the session (tough-cookie, which its \`CookieJar\` extends, and the session's layers).`,
  ];
}
