// Every client the network sections compare, behind one shape:
//   make(base) -> { get(url): Promise<void> (reads the whole body), close(): Promise<void> }
// A fetchstack row whose package is not built yet throws NotBuilt from make().
import { load, loadAll } from './fetchstack.mjs';

export class NotBuilt extends Error {
  override_name = 'NotBuilt';
}

function notBuilt(reason) {
  const error = new NotBuilt(reason);
  error.notBuilt = true;
  return error;
}

async function need(pairs) {
  const got = await loadAll(pairs);
  if (!got.ok) throw notBuilt(got.reason);
  return got.values;
}

const check = (res) => {
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return res.text();
};

/** A fetch-shaped client: `fetch` is what to call. */
const overFetch = (fetch, close) => ({
  get: async (url) => {
    await check(await fetch(url));
  },
  close: close ?? (async () => {}),
});

const DEFAULT_HEADERS = { 'User-Agent': 'fetchstack-bench/1.0', Accept: 'application/json' };

/** The order the session documents, outermost first, for the "wrappers over global fetch" row. */
export const STACK_ORDER = ['timeout', 'retry', 'redirect', 'headers', 'cookies'];

/** The wrappers the full session stacks (no auth, no proxy), as middleware, in STACK_ORDER. */
export async function fullStackMiddleware() {
  const m = await need([
    ['@fetchstack/core', 'compose'],
    ['@fetchstack/timeout', 'timeout'],
    ['@fetchstack/retry', 'retry'],
    ['@fetchstack/redirect', 'redirect'],
    ['@fetchstack/headers', 'headers'],
    ['@fetchstack/cookies', 'cookies'],
  ]);
  return m.compose(
    m.timeout(30_000),
    m.retry(),
    m.redirect(),
    m.headers(DEFAULT_HEADERS),
    m.cookies(),
  );
}

/** Each wrapper alone, with the options a user would most likely pass. */
export const WRAPPERS = {
  headers: async () => (await need([['@fetchstack/headers', 'headers']])).headers(DEFAULT_HEADERS),
  cookies: async () => (await need([['@fetchstack/cookies', 'cookies']])).cookies(),
  redirect: async () => (await need([['@fetchstack/redirect', 'redirect']])).redirect(),
  'auth (bearer)': async () =>
    (await need([['@fetchstack/auth', 'bearerAuth']])).bearerAuth('bench-token'),
  retry: async () => (await need([['@fetchstack/retry', 'retry']])).retry(),
  timeout: async () => (await need([['@fetchstack/timeout', 'timeout']])).timeout(30_000),
};

/** The full session as a user makes it: defaults (cookies, retry, timeout on) plus default headers. */
export async function makeSession(extra = {}) {
  const { createSession } = await need([['@fetchstack/session', 'createSession']]);
  return createSession({ headers: DEFAULT_HEADERS, ...extra });
}

export const CLIENTS = [
  {
    id: 'undici.request',
    make: async () => {
      const { request } = await import('undici');
      return {
        get: async (url) => {
          const { statusCode, body } = await request(url);
          if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
          await body.text();
        },
        close: async () => {},
      };
    },
  },
  { id: 'undici fetch', make: async () => overFetch((await import('undici')).fetch) },
  { id: 'global fetch', make: async () => overFetch(globalThis.fetch) },
  {
    id: 'ky',
    make: async () => {
      const { default: ky } = await import('ky');
      return { get: async (url) => void (await ky.get(url).text()), close: async () => {} };
    },
  },
  {
    id: 'got',
    make: async () => {
      const { default: got } = await import('got');
      return { get: async (url) => void (await got(url).text()), close: async () => {} };
    },
  },
  {
    id: 'axios',
    make: async () => {
      const { default: axios } = await import('axios');
      return {
        get: async (url) => void (await axios.get(url, { responseType: 'text' })),
        close: async () => {},
      };
    },
  },
  {
    id: 'fetch-cookie over fetch',
    make: async () => {
      const { default: fetchCookie } = await import('fetch-cookie');
      const { CookieJar } = await import('tough-cookie');
      return overFetch(fetchCookie(globalThis.fetch, new CookieJar()));
    },
  },
  ...Object.entries(WRAPPERS).map(([name, layer]) => ({
    id: `fetchstack ${name} over fetch`,
    fetchstack: true,
    make: async () => overFetch((await layer())(globalThis.fetch)),
  })),
  {
    id: 'fetchstack wrappers over fetch',
    fetchstack: true,
    note: `${STACK_ORDER.join(' → ')} over global fetch, no transport`,
    make: async () => overFetch((await fullStackMiddleware())(globalThis.fetch)),
  },
  {
    id: 'fetchstack transport',
    fetchstack: true,
    note: 'createTransport({}).fetch alone',
    make: async () => {
      const { createTransport } = await need([['@fetchstack/proxy', 'createTransport']]);
      const transport = createTransport({});
      return overFetch(transport.fetch, async () => transport.close?.());
    },
  },
  {
    id: 'fetchstack session',
    fetchstack: true,
    note: 'createSession(): headers + cookies + redirect + retry + timeout + transport',
    make: async () => {
      const session = await makeSession();
      return overFetch(session, async () => session.close?.());
    },
  },
];

export { load };
