// Sections 2 and 6 rendered from micro-worker.mjs's measurements.
import { fileURLToPath } from 'node:url';
import { STACK_ORDER } from './clients.mjs';
import { runJson } from './spawn.mjs';
import { fmt, fmtRatio, median, ratio, table } from './stats.mjs';
import { budget, budgetLines } from './throughput.mjs';

const worker = fileURLToPath(new URL('./micro-worker.mjs', import.meta.url));

export async function overhead({ quick, log }) {
  log('layer overhead over a no-op fetch');
  const { iterations, samples, result } = await runJson([worker, 'overhead', quick ? '1' : '0'], {
    timeoutMs: 180_000,
  });
  // The heap bytes each call allocates, read from the heap's growth between collections (a
  // load-independent figure), in a process of their own: --expose-gc and a young generation
  // large enough for a sample would change how the timed process collects.
  const allocated = await runJson(
    [
      '--expose-gc',
      '--min-semi-space-size=128',
      '--max-semi-space-size=128',
      worker,
      'overhead-bytes',
      quick ? '1' : '0',
    ],
    { timeoutMs: 180_000 },
  );
  for (const [name, r] of Object.entries(allocated.result))
    if (result[name] && r.bytes !== undefined) result[name].bytes = r.bytes;
  const alone = await aloneInProcess({ quick, log });
  const noop = result['no-op fetch alone'].ns;
  const noopBytes = result['no-op fetch alone'].bytes;
  const bytes = (r, net) =>
    r.bytes === undefined ? '–' : fmt(net ? r.bytes - noopBytes : r.bytes, 0);
  const body = Object.entries(result).map(([name, r]) =>
    r.status
      ? [name, r.status, '', '', '', '']
      : [
          name,
          fmt(r.ns, 0),
          name === 'no-op fetch alone' ? '–' : fmt(r.ns - noop, 0),
          `${fmt(r.min, 0)}–${fmt(r.max, 0)}`,
          fmt(r.wallNs, 0),
          name === 'no-op fetch alone' ? bytes(r, false) : bytes(r, true),
        ],
  );
  const sessionRow = result[SESSION_ROW];
  const b =
    alone.net !== undefined
      ? {
          ...budget(
            `layer overhead ≤ 2 µs per request for the full stack (${SESSION_ROW}, alone in its process, net of the no-op)`,
            alone.net / 1000,
            2,
            undefined,
            { atMost: true },
          ),
          display:
            `${(alone.net / 1000).toFixed(2)} µs alone in its process; ` +
            `${((sessionRow.ns - noop) / 1000).toFixed(2)} µs in the table's process, among the other rows`,
        }
      : budget(
          'layer overhead ≤ 2 µs per request for the full stack',
          undefined,
          2,
          sessionRow?.status ?? alone.status,
        );
  const markdown = [
    `Each row calls its fetch ${iterations.toLocaleString('en-US')} times per sample, ${samples} samples interleaved across rows, median reported; ` +
      'the fetch beneath is a no-op returning one prebuilt `Response` (status 200, no body), so only the layers are timed. ' +
      'Figures are CPU time (user + system) per call, steadier than wall time on a shared machine; wall time beside it. ' +
      'The last column is the heap each call allocates, net of the no-op (the growth of the heap over 4,000 calls with no collection between, median of 7): it does not move with the load, and what a call allocates it later pays for in collection. ' +
      `"full stack (wrappers)" = ${STACK_ORDER.join(' → ')} (defaults; headers: 2 defaults; timeout 30 s). ` +
      '"session over no-op fetch" needs `createSession({ fetch })`; where the session takes no fetch to sit on, the row says so.',
    '',
    table(
      [
        'layer(s)',
        'CPU ns/call',
        'CPU ns/call net of no-op',
        'CPU spread (min–max of samples)',
        'wall ns/call',
        'heap bytes allocated/call, net of no-op',
      ],
      body,
    ),
    '',
    alone.markdown,
    '',
    budgetLines([b]),
  ].join('\n');
  return {
    title: 'Layer overhead over a no-op fetch',
    markdown,
    data: { iterations, samples, rows: result, alone: alone.data, budgets: [b] },
  };
}

const SESSION_ROW = 'fetchstack session over no-op fetch';
const NOOP_ROW = 'no-op fetch alone';

/**
 * The session and the no-op each alone in fresh processes (alternated), as an app with one
 * session runs it: in the table's process the wrappers' rows run the same layer code over other
 * fetches, and each sample can pay for collecting the garbage of the row before it.
 */
async function aloneInProcess({ quick, log }) {
  const processes = quick ? 1 : 5;
  const runs = { [SESSION_ROW]: [], [NOOP_ROW]: [] };
  let status;
  for (let p = 0; p < processes; p++) {
    for (const name of p % 2 ? [NOOP_ROW, SESSION_ROW] : [SESSION_ROW, NOOP_ROW]) {
      log(`layer overhead alone in its process ${p + 1}/${processes}: ${name}`);
      const { result } = await runJson([worker, 'overhead-alone', quick ? '1' : '0', name], {
        timeoutMs: 180_000,
      });
      if (result[name].status) status = result[name].status;
      else runs[name].push(result[name].ns);
    }
  }
  if (status || runs[SESSION_ROW].length === 0)
    return { status: status ?? 'no result', markdown: '', data: { status } };
  const session = median(runs[SESSION_ROW]);
  const noop = median(runs[NOOP_ROW]);
  const net = session - noop;
  const markdown =
    `Alone in its process (the figure for the goal): the session over the no-op and the no-op itself, each in ${processes} fresh ` +
    `process(es), alternated; in each, ${quick ? '5,000' : '30,000'} unmeasured calls, then ${quick ? 5 : 11} samples of ` +
    `${(quick ? 3_000 : 10_000).toLocaleString('en-US')} calls (median), median of the processes. ` +
    `The session ${fmt(session, 0)} CPU ns/call (processes: ${runs[SESSION_ROW].map((n) => fmt(n, 0)).join(', ')}), ` +
    `the no-op ${fmt(noop, 0)} (${runs[NOOP_ROW].map((n) => fmt(n, 0)).join(', ')}): **${fmt(net, 0)} ns net**. ` +
    'In the table above the same session shares its process with the other rows: their wrappers run the same layer code over other fetches ' +
    '(an app with one session runs it over one), and a sample can pay for collecting the garbage of the row before it.';
  return { net, markdown, data: { session: runs[SESSION_ROW], noop: runs[NOOP_ROW], net } };
}

export async function cookiejar({ quick, log }) {
  log('cookie jar scale');
  const { iterations, samples, result } = await runJson([worker, 'cookiejar', quick ? '1' : '0'], {
    timeoutMs: 180_000,
  });
  const counts = Object.keys(result);
  const one = result[counts[0]];
  const cell = (r, r1, bare) =>
    r.status
      ? r.status
      : `${fmt(r.ns, 0)} (net ${fmt(r.ns - bare.ns, 0)}; ${fmtRatio(ratio(r.ns - bare.ns, r1.ns - one.bare.ns))} of 1 cookie)`;
  const body = counts.map((c) => {
    const r = result[c];
    return [
      Number(c).toLocaleString('en-US'),
      String(Math.min(Number(c), 1000)),
      fmt(r.bare.ns, 0),
      cell(r.fetchCookie, one.fetchCookie, r.bare),
      cell(r.fetchstack, one.fetchstack, r.bare),
      r.fetchstack.status || r.fetchCookie.status
        ? '–'
        : fmtRatio(ratio(r.fetchstack.ns, r.fetchCookie.ns)),
    ];
  });
  const big = result[counts.at(-1)];
  const net = (r, bare) => r.ns - bare.ns;
  const b =
    big.fetchstack.ns !== undefined
      ? {
          ...budget(
            'cookie jar: 10,000 cookies cost ≤ 2× one cookie per request (net of the bare fetch)',
            net(big.fetchstack, big.bare) / net(one.fetchstack, one.bare),
            2,
            undefined,
            { atMost: true },
          ),
        }
      : budget(
          'cookie jar: 10,000 cookies cost ≤ 2× one cookie per request',
          undefined,
          2,
          big.fetchstack.status,
        );
  const markdown = [
    'Per-request cost of the cookie layer over a no-op fetch (prebuilt `Response`, no `Set-Cookie`), CPU ns/call. ' +
      'N cookies are spread over min(N, 1000) domains `d<i>.example.com` (so 10,000 cookies = 10 per domain over 1,000 domains); ' +
      "each request goes to `https://d0.example.com/account` and carries d0's cookies (1, 1 and 10). " +
      `Both layers get the same tough-cookie \`CookieJar\` filled the same way. ${iterations.toLocaleString('en-US')} calls × ${samples} samples, all rows interleaved, median.`,
    '',
    table(
      [
        'cookies',
        'domains',
        'bare no-op ns',
        'fetch-cookie ns',
        'fetchstack cookies ns',
        'fetchstack ÷ fetch-cookie',
      ],
      body,
    ),
    '',
    budgetLines([b]),
  ].join('\n');
  return {
    title: 'Cookie jar scale',
    markdown,
    data: { iterations, samples, rows: result, budgets: [b] },
  };
}
