// Section 10: a session sharing a fleet's state through Redis (createSession({ store })) beside
// the same session without a store: what the store costs each call when nothing changes (no
// cool-down, no refresh; the cookie jar and the cool-downs answer from memory, the retry budget
// is flushed every 200 ms off the call path), and, for comparison, with `limit` (one Lua script
// per call to take a slot, one command to give it back). The loopback bench server and a
// redis-server on a free port each run in their own process; each row in a fresh client process,
// rows interleaved over rounds, medians reported.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { redisMissing, startRedis } from '../../packages/test-server/src/redis.js';
import { runJson, startServer } from './spawn.mjs';
import { fmt, median, table } from './stats.mjs';
import { budget } from './throughput.mjs';

const worker = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url));
const ROWS = ['local', 'store', 'store+limit'];
const LABEL = {
  local: 'createSession() (no store)',
  store: 'createSession({ store })',
  'store+limit': 'createSession({ store, limit: { concurrency: 64 } })',
};
const GOAL = 'fleet: createSession({ store }) ≥ 0.7× the local session in req/s at c32';

export async function fleetSection({ quick, log }) {
  const title = 'A session with a Redis store (fleet) against the local session';
  if (
    redisMissing ||
    !existsSync(fileURLToPath(new URL('../../packages/redis/dist/index.js', import.meta.url)))
  ) {
    const why =
      redisMissing ?? '@fetchstack/redis is not built (pnpm --filter @fetchstack/redis build)';
    return {
      title,
      markdown: `Skipped: ${why}.`,
      data: { skip: why, budgets: [budget(GOAL, undefined, 0.7, why)] },
    };
  }
  const server = await startServer();
  const redis = await startRedis();
  const rounds = quick ? 1 : 3;
  const opts = quick
    ? { warmupMs: 300, seqMs: 1_000, concMs: 1_500 }
    : { warmupMs: 1_000, seqMs: 3_000, concMs: 4_000 };
  const results = Object.fromEntries(ROWS.map((r) => [r, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...ROWS].reverse() : ROWS;
      for (const row of order) {
        log(`fleet: ${row}, round ${round + 1}/${rounds}`);
        results[row].push(
          await runJson([worker, row, server.base, redis.url, JSON.stringify(opts)], {
            timeoutMs: 120_000,
          }),
        );
      }
    }
  } finally {
    await redis.stop();
    await server.stop();
  }
  const med = (row, pick) => median(results[row].map(pick));
  const summary = Object.fromEntries(
    ROWS.map((row) => [
      row,
      {
        seqP50Us: med(row, (r) => r.seq.p50Us),
        seqCpuUs: med(row, (r) => r.seq.cpuUsPerCall),
        rps: med(row, (r) => r.conc.rps),
        concCpuUs: med(row, (r) => r.conc.cpuUsPerCall),
      },
    ]),
  );
  const local = summary.local;
  const ratio = summary.store.rps / local.rps;
  const markdown = [
    `The full session as the throughput section makes it (default headers, cookies, retry with its budget, timeout), against the loopback bench server in its own process, ` +
      `with a redis-server on loopback for the store rows (\`createRedisStore({ url })\`, the session then uses its cookie jar, cool-downs and retry budget; with \`limit\` also its slots). ` +
      `Each row in a fresh process: ${opts.warmupMs} ms warm-up, ${opts.seqMs} ms of sequential calls, then ${opts.concMs} ms at concurrency 32; ${rounds} round(s), rows interleaved, medians. ` +
      '"CPU µs/call" = the client process\'s CPU time (user + system) per call.',
    '',
    table(
      [
        'session',
        'sequential p50 µs',
        'added µs',
        'CPU µs/call (seq)',
        'req/s at c32',
        '÷ local',
        'CPU µs/call (c32)',
      ],
      ROWS.map((row) => {
        const s = summary[row];
        return [
          LABEL[row],
          fmt(s.seqP50Us, 0),
          row === 'local' ? '–' : fmt(s.seqP50Us - local.seqP50Us, 0),
          fmt(s.seqCpuUs, 0),
          fmt(s.rps, 0),
          `${(s.rps / local.rps).toFixed(2)}×`,
          fmt(s.concCpuUs, 0),
        ];
      }),
    ),
    '',
    `With the store and nothing changing, a call costs ${fmt(summary.store.seqP50Us - local.seqP50Us, 0)} µs more (sequential p50) and the session keeps ${ratio.toFixed(2)}× the local req/s at c32 (goal ≥ 0.7×). ` +
      `With \`limit\`, each call also waits for Redis twice (take a slot, give it back): ${fmt(summary['store+limit'].seqP50Us - local.seqP50Us, 0)} µs more.`,
  ].join('\n');
  return {
    title,
    markdown,
    data: {
      rounds,
      opts,
      summary,
      results,
      budgets: [
        {
          ...budget(GOAL, ratio, 0.7),
          display: `${ratio.toFixed(2)}×: ${fmt(summary.store.rps, 0)} against ${fmt(local.rps, 0)} req/s`,
        },
      ],
    },
  };
}
