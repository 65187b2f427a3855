// Section: HTTPS, sequential, Python requests against fetchstack, the claim of the
// tutorial this project answers ("use a Session: it reuses the connection"). One
// Node HTTPS server in its own process with a throwaway CA's certificate; every
// client in a fresh process, the same number of requests each, rounds alternating
// the order, median of rounds.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { throwawayCA } from './certs.mjs';
import { runJson, startServer } from './spawn.mjs';
import { fmt, fmtRatio, median, ratio, table } from './stats.mjs';
import { budgetLines } from './throughput.mjs';

const nodeWorker = fileURLToPath(new URL('./https-worker.mjs', import.meta.url));
const pyWorker = fileURLToPath(new URL('./https-requests.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

const CLIENTS = [
  { id: 'requests.get (no session)', py: 'get' },
  { id: 'requests.Session', py: 'session' },
  { id: 'fetchstack session', note: 'createSession({ tls: { ca } })' },
  { id: 'fetchstack transport', note: 'createTransport({ tls: { ca } }).fetch, no layers' },
  { id: 'global fetch', note: "Node's fetch, trusting the CA by NODE_EXTRA_CA_CERTS" },
  {
    id: 'undici.request, one Agent',
    note: 'new Agent({ connect: { ca } }) shared by every request',
  },
  { id: 'undici fetch, one Agent', note: "undici's fetch with the same kind of Agent" },
];

export async function httpsVsRequests({ quick, log }) {
  const n = quick ? 100 : 500;
  const warmup = quick ? 10 : 50;
  // Further unmeasured requests before the steady-state pass: enough for Node to have
  // compiled the hot code (its compiler threads otherwise share the 2 cores with the server).
  const steadyWarmup = quick ? 100 : 1000;
  const rounds = quick ? 1 : 3;
  const certs = throwawayCA();
  const server = await startServer({
    script: 'https-server.mjs',
    scheme: 'https',
    hello: { key: certs.key, cert: certs.cert },
  });
  const url = `${server.base}bench`;
  const runs = new Map(CLIENTS.map((c) => [c.id, []]));
  const skips = new Map();
  let python;
  if (!existsSync(PYTHON)) skips.set('python', `${PYTHON} not found`);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const c of round % 2 ? [...CLIENTS].reverse() : CLIENTS) {
        if (skips.has(c.id) || (c.py && skips.has('python'))) continue;
        log(`https vs requests round ${round + 1}/${rounds}: ${c.id}`);
        try {
          const r = c.py
            ? await runJson(
                [
                  pyWorker,
                  c.py,
                  url,
                  certs.caPath,
                  String(n),
                  String(warmup),
                  String(steadyWarmup),
                ],
                {
                  command: PYTHON,
                },
              )
            : await runJson(
                [
                  nodeWorker,
                  c.id,
                  url,
                  certs.caPath,
                  String(n),
                  String(warmup),
                  String(steadyWarmup),
                ],
                {
                  env: c.id === 'global fetch' ? { NODE_EXTRA_CA_CERTS: certs.caPath } : {},
                },
              );
          if (r.skip) skips.set(c.id, r.skip);
          else runs.get(c.id).push(r);
          if (r.version) python = `Python ${r.python}, requests ${r.version}`;
        } catch (error) {
          const message = error.message.slice(0, 200);
          if (c.py && /No module named 'requests'/.test(error.message))
            skips.set(
              'python',
              'python3-requests is not installed (apt-get install -y python3-requests)',
            );
          else skips.set(c.id, `failed: ${message}`);
        }
      }
    }
  } finally {
    await server.stop();
    certs.remove();
  }

  const rows = {};
  for (const c of CLIENTS) {
    const r = runs.get(c.id);
    if (!r.length) {
      rows[c.id] = { status: skips.get(c.id) ?? (c.py && skips.get('python')) ?? 'no result' };
      continue;
    }
    const pick = (k) => median(r.map((x) => x[k]));
    rows[c.id] = {
      msPerReq: pick('msPerReq'),
      p50: pick('p50'),
      p99: pick('p99'),
      cpuUsPerReq: pick('cpuUsPerReq'),
      early: {
        msPerReq: median(r.map((x) => x.early.msPerReq)),
        p99: median(r.map((x) => x.early.p99)),
        cpuUsPerReq: median(r.map((x) => x.early.cpuUsPerReq)),
      },
      rounds: r,
    };
  }
  const ref = rows['requests.Session'];
  for (const row of Object.values(rows)) {
    if (row.status) continue;
    row.vsRequestsSession = ratio(row.msPerReq, ref?.msPerReq);
    row.cpuVsRequestsSession = ratio(row.cpuUsPerReq, ref?.cpuUsPerReq);
    row.early.vsRequestsSession = ratio(row.early.msPerReq, ref?.early?.msPerReq);
  }
  const head = [
    'client',
    'ms per request',
    '÷ requests.Session',
    'req/s',
    'client CPU µs/req',
    'CPU ÷ requests.Session',
    'p50 ms',
    'p99 ms',
    `first ${n}: ms per request`,
    '÷ requests.Session',
    'client CPU µs/req',
    'p99 ms',
  ];
  const body = CLIENTS.map((c) => {
    const r = rows[c.id];
    if (r.status) return [c.id, r.status, ...Array(head.length - 2).fill('')];
    return [
      c.id,
      fmt(r.msPerReq, 3),
      fmtRatio(r.vsRequestsSession),
      fmt(1000 / r.msPerReq, 0),
      fmt(r.cpuUsPerReq, 0),
      fmtRatio(r.cpuVsRequestsSession),
      fmt(r.p50, 3),
      fmt(r.p99, 3),
      fmt(r.early.msPerReq, 3),
      fmtRatio(r.early.vsRequestsSession),
      fmt(r.early.cpuUsPerReq, 0),
      fmt(r.early.p99, 3),
    ];
  });
  const s = rows['fetchstack session'];
  const budgetName =
    "HTTPS sequential: fetchstack session ≤ 0.8× requests.Session's time per request";
  const budgets = [
    s.status || !ref || ref.status
      ? { name: budgetName, status: s.status ?? ref?.status ?? 'not measured', met: null }
      : {
          name: budgetName,
          value: s.vsRequestsSession,
          met: s.vsRequestsSession <= 0.8,
          status: s.vsRequestsSession <= 0.8 ? 'met' : 'MISSED',
          display:
            `${fmtRatio(s.vsRequestsSession)}: ${fmt(s.msPerReq, 3)} ms vs ${fmt(ref.msPerReq, 3)} ms in steady state; ` +
            `the first ${n} requests of a fresh process ${fmtRatio(s.early.vsRequestsSession)}: ${fmt(s.early.msPerReq, 3)} ms vs ${fmt(ref.early.msPerReq, 3)} ms`,
        },
  ];
  const markdown = [
    `${n} sequential GETs per client of a 27-byte JSON body from one Node HTTPS server on 127.0.0.1 ` +
      '(keep-alive, its own process, TLS with a certificate from a throwaway CA made by `openssl` at run time; every client verifies it). ' +
      `Every client in a fresh process; ${rounds} round(s) alternating the order, median of rounds. Each client is measured twice in its process: ` +
      `"first ${n}" after ${warmup} unmeasured requests (a short-lived process: Node is still compiling its hot code, on background threads that ` +
      `share the machine's cores with the server), then, after ${steadyWarmup} more unmeasured requests, the steady state (the left columns, and the goal). ` +
      '"ms per request" = wall time of the run ÷ requests; "÷ requests.Session" = that divided by `requests.Session`\'s (lower is faster); ' +
      '"client CPU µs/req" = the client process\'s CPU time (user + system) per request. `requests.get` without a session opens a new ' +
      `connection (and TLS handshake) for every request. ${python ?? 'Python requests not run'}.`,
    '',
    table(head, body),
    '',
    ...CLIENTS.filter((c) => c.note).map((c) => `- ${c.id}: ${c.note}`),
    '',
    budgetLines(budgets),
  ].join('\n');
  return {
    title: 'HTTPS, sequential: Python requests against fetchstack',
    markdown,
    data: { n, warmup, steadyWarmup, rounds, python, rows, budgets },
  };
}
