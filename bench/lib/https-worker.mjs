// One Node client against the bench's local HTTPS server, in a fresh process:
// N sequential GETs, the whole body read each time, measured twice (see measure()).
// Prints one JSON line.
// argv: <client id> <url> <ca file> <requests> <warm-up requests> <further warm-up requests>
// "global fetch" trusts the throwaway CA through NODE_EXTRA_CA_CERTS (set by the parent).
import { readFileSync } from 'node:fs';
import { loadAll } from './fetchstack.mjs';
import { percentile } from './stats.mjs';

const [id, url, caPath, nArg, warmArg, steadyWarmArg] = process.argv.slice(2);
const ca = readFileSync(caPath, 'utf8');
const n = Number(nArg);

const check = async (res) => {
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  await res.text();
};
const overFetch = (fetch, close = async () => {}) => ({
  get: async () => check(await fetch(url)),
  close,
});

async function make() {
  if (id === 'global fetch') return overFetch(globalThis.fetch);
  if (id === 'undici.request, one Agent') {
    const { Agent, request } = await import('undici');
    const agent = new Agent({ connect: { ca } });
    return {
      get: async () => {
        const { statusCode, body } = await request(url, { dispatcher: agent });
        if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
        await body.text();
      },
      close: () => agent.close(),
    };
  }
  if (id === 'undici fetch, one Agent') {
    const { Agent, fetch } = await import('undici');
    const agent = new Agent({ connect: { ca } });
    return overFetch(
      (u) => fetch(u, { dispatcher: agent }),
      () => agent.close(),
    );
  }
  if (id === 'fetchstack session') {
    const got = await loadAll([['@fetchstack/session', 'createSession']]);
    if (!got.ok) return { skip: got.reason };
    const session = got.values.createSession({ tls: { ca } });
    return overFetch(session, async () => session.close?.());
  }
  if (id === 'fetchstack transport') {
    const got = await loadAll([['@fetchstack/proxy', 'createTransport']]);
    if (!got.ok) return { skip: got.reason };
    const transport = got.values.createTransport({ tls: { ca } });
    return overFetch(transport.fetch, async () => transport.close?.());
  }
  throw new Error(`unknown client ${id}`);
}

const client = await make();
if (client.skip) {
  console.log(JSON.stringify({ skip: client.skip }));
  process.exit(0);
}
// Two measured phases in one process: the first `n` requests after `warm` (a short-lived
// process: Node is still compiling its hot code, on background threads that share the two
// cores), then `n` more after `steadyWarm` further unmeasured ones (compiled: steady state).
async function measure() {
  const lat = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await client.get();
    lat.push(performance.now() - t);
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  lat.sort((a, b) => a - b);
  return {
    msPerReq: elapsed / n,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    cpuUsPerReq: (cpu.user + cpu.system) / n,
  };
}
for (let i = 0; i < Number(warmArg); i++) await client.get();
const early = await measure();
for (let i = 0; i < Number(steadyWarmArg); i++) await client.get();
const steady = await measure();
await client.close();
console.log(JSON.stringify({ n, ...steady, early }));
process.exit(0);
