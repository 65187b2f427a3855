// Sections 2 (layer overhead) and 6 (cookie jar scale), measured in a fresh process
// over a no-op fetch. argv: <overhead|overhead-bytes|cookiejar> <quick: 0|1>, or
// overhead-alone <quick: 0|1> <row name>. Prints one JSON line.
import { fullStackMiddleware, makeSession, WRAPPERS } from './clients.mjs';
import { load } from './fetchstack.mjs';
import { noopFetch, nsPerCallInterleaved } from './micro.mjs';

const [section, quickArg] = process.argv.slice(2);
const quick = quickArg === '1';
// Overhead rows are cheap (µs); cookie rows cost ~10 µs each and there are nine of them.
const iterations = section.startsWith('overhead')
  ? quick
    ? 3_000
    : 10_000
  : quick
    ? 1_500
    : 5_000;
const samples = quick ? 3 : 5;
const warmup = iterations / 2;
const URL_ = 'https://api.example.com/v1/users/me';

/** Makes the fetch for a row and checks it answers; a row that cannot be made gets a status instead. */
async function prepare(make, url) {
  try {
    const fetch = await make();
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return { fetch };
  } catch (error) {
    return {
      status: error.notBuilt ? error.message : `failed: ${String(error.message).split('\n')[0]}`,
    };
  }
}

/**
 * Heap bytes allocated per call: the growth of the heap over `n` calls with no collection in
 * between (the worker runs with a young generation large enough for them and `gc()` exposed),
 * median of 7 samples. Unlike time, it does not move with the machine's load.
 */
async function bytesPerCall(call, n = 4_000) {
  if (typeof globalThis.gc !== 'function') return undefined;
  const samples = [];
  for (let s = 0; s < 7; s++) {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < n; i++) await call();
    samples.push((process.memoryUsage().heapUsed - before) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[3];
}

/** Prepares every row, then measures the ready ones together (interleaved). */
async function measureRows(makers, url, opts, { bytes = false } = {}) {
  const prepared = {};
  for (const [name, make] of Object.entries(makers)) prepared[name] = await prepare(make, url);
  const calls = {};
  for (const [name, p] of Object.entries(prepared)) if (p.fetch) calls[name] = () => p.fetch(url);
  const measured = bytes ? {} : await nsPerCallInterleaved(calls, opts);
  if (bytes) {
    // Its own process (started with the flags bytesPerCall needs), so the timing is not.
    for (const name of Object.keys(calls))
      measured[name] = { bytes: await bytesPerCall(calls[name]) };
    return Object.fromEntries(
      Object.entries(prepared).map(([name, p]) => [
        name,
        p.fetch ? measured[name] : { status: p.status },
      ]),
    );
  }
  return Object.fromEntries(
    Object.entries(prepared).map(([name, p]) => [
      name,
      p.fetch ? measured[name] : { status: p.status },
    ]),
  );
}

/** The rows of the overhead section: how to make each one's fetch. */
async function overheadRows() {
  const { default: fetchCookie } = await import('fetch-cookie');
  const rows = {};
  rows['no-op fetch alone'] = async () => noopFetch();
  for (const [name, layer] of Object.entries(WRAPPERS)) {
    rows[`fetchstack ${name}`] = async () => (await layer())(noopFetch());
  }
  rows['fetchstack full stack (wrappers)'] = async () => (await fullStackMiddleware())(noopFetch());
  rows['fetchstack session over no-op fetch'] = async () => {
    const session = await makeSession({ fetch: noopFetch(), proxy: false });
    // Only meaningful if the session really sits on the fetch we gave it.
    let called = false;
    const probe = await makeSession({
      fetch: async () => {
        called = true;
        return new Response(null);
      },
      proxy: false,
    });
    await probe('https://example.com/');
    await probe.close?.();
    if (!called)
      throw Object.assign(new Error('createSession() takes no fetch to sit on'), {
        notBuilt: true,
      });
    return session;
  };
  rows['fetch-cookie alone (for scale)'] = async () => fetchCookie(noopFetch());
  return rows;
}

async function overhead() {
  return measureRows(
    await overheadRows(),
    URL_,
    { iterations, samples, warmup },
    { bytes: section === 'overhead-bytes' },
  );
}

/**
 * One row alone in this process, as an app that makes one session runs it: no other row's
 * calls go through the layers' code (the rows above share it, which makes V8's call sites
 * there see several kinds of fetch beneath). A long warm-up, then 11 samples.
 */
async function overheadAlone(name) {
  const make = (await overheadRows())[name];
  if (!make) throw new Error(`unknown overhead row ${name}`);
  return measureRows({ [name]: make }, URL_, {
    iterations,
    samples: quick ? 5 : 11,
    warmup: quick ? 5_000 : 30_000,
  });
}

async function makeJar(CookieJar, count) {
  const jar = new CookieJar();
  const domains = Math.min(count, 1000);
  for (let i = 0; i < count; i++) {
    const d = i % domains;
    await jar.setCookie(
      `c${i}=value${i}; Domain=d${d}.example.com; Path=/`,
      `https://d${d}.example.com/`,
    );
  }
  return jar;
}

async function cookiejar() {
  const { CookieJar } = await import('tough-cookie');
  const { default: fetchCookie } = await import('fetch-cookie');
  const cookies = await load('@fetchstack/cookies', 'cookies');
  const target = 'https://d0.example.com/account';
  const counts = [1, 100, 10_000];
  // Every count and every contender measured together, interleaved, so that the
  // 10,000-vs-1 ratio is taken under the same conditions.
  const rows = {};
  for (const count of counts) {
    rows[`${count}:bare`] = async () => noopFetch();
    rows[`${count}:fetchCookie`] = async () =>
      fetchCookie(noopFetch(), await makeJar(CookieJar, count));
    rows[`${count}:fetchstack`] = async () => {
      if (!cookies.ok)
        throw Object.assign(new Error(`@fetchstack/cookies: ${cookies.reason}`), {
          notBuilt: true,
        });
      const jar = await makeJar(CookieJar, count);
      // Make sure the layer really uses the jar we filled: the request must carry its cookie.
      let sent = '';
      await cookies.value({ jar })(async (input, init) => {
        sent =
          new Headers(
            init?.headers ??
              (typeof input === 'object' && 'headers' in input ? input.headers : undefined),
          ).get('cookie') ?? '';
        return new Response(null);
      })(target);
      if (!sent.includes('c0=value0'))
        throw new Error(`cookies({ jar }) did not send the jar's cookie (sent "${sent}")`);
      return cookies.value({ jar })(noopFetch());
    };
  }
  const measured = await measureRows(rows, target, { iterations, samples, warmup });
  const out = {};
  for (const [key, value] of Object.entries(measured)) {
    const [count, who] = key.split(':');
    out[count] ??= {};
    out[count][who] = value;
  }
  return out;
}

const result =
  section === 'overhead-alone'
    ? await overheadAlone(process.argv[4])
    : section.startsWith('overhead')
      ? await overhead()
      : await cookiejar();
console.log(JSON.stringify({ iterations, samples, result }));
process.exit(0);
