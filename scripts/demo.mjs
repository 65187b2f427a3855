#!/usr/bin/env node
// `npm run demo`: a tour of the seven ideas of Python's requests.Session tutorial with fetchstack,
// against a local server it starts itself (Debian httpbin when installed, else
// the project's test server; tinyproxy for the proxy step when installed).
// Each step prints what it shows on the wire.
import { bootstrap } from './bootstrap.mjs';

await bootstrap();

// Imported only now: bootstrap() installs and builds what these need.
const root = new URL('..', import.meta.url);
const { createSession, CookieJar, isTimeoutError, logger } = await import(
  new URL('packages/fetchstack/dist/index.js', root).href
);
const { startLocal } = await import(new URL('examples/local-server/index.mjs', root).href);

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const section = (n, title) => console.log(`\n${bold(`${n}) ${title}`)}`);
const show = (label, value) => console.log(`   ${label}: ${value}`);
const header = (headers, name) => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? headers[key] : undefined;
};

const local = await startLocal();
let failed = false;
try {
  console.log(bold('fetchstack demo: the requests.Session tour, in JavaScript'));
  show('server', `${local.kind} at ${local.base}`);
  show(
    'proxy',
    local.proxy
      ? `tinyproxy at ${local.proxy}`
      : 'none (apt-get install tinyproxy for the proxy step)',
  );

  section(1, 'Why a session: cookies kept, one connection reused');
  {
    const session = createSession({ baseUrl: local.base });
    const r1 = await session(local.paths.setCookie('session', 'jaaj'));
    await r1.body?.cancel();
    show(
      `GET ${local.paths.setCookie('session', 'jaaj')}`,
      `${r1.status} (the server set session=jaaj)`,
    );
    const body = await session.client.get(local.paths.cookies).json();
    show(
      `GET ${local.paths.cookies}`,
      `the server received cookies ${JSON.stringify(body.cookies)}`,
    );
    const a = await (await session(`${local.test}echo/a`)).json();
    const b = await (await session(`${local.test}echo/b`)).json();
    show(
      'two requests to the test server',
      `socket #${a.socket} then #${b.socket} (${a.socket === b.socket ? 'kept alive, reused' : 'a new connection'})`,
    );
    await session.close();
  }

  section(2, 'Shared headers and auth, set once, overridable per request');
  {
    const session = createSession({ baseUrl: local.base });
    session.headers.set('User-Agent', 'fetchstack-demo/1.0');
    session.headers.set('Accept', 'application/json');
    session.auth = ['user', 'pass'];
    const sent = (await session.client.get(local.paths.headers).json()).headers;
    show('User-Agent sent', header(sent, 'user-agent'));
    show('Accept sent', header(sent, 'accept'));
    show(
      'Authorization sent',
      `${header(sent, 'authorization')?.split(' ')[0]} … (from session.auth)`,
    );
    const once = (
      await session.client.get(local.paths.headers, { headers: { Accept: 'text/plain' } }).json()
    ).headers;
    show('Accept with a per-request header', `${header(once, 'accept')} (the call wins)`);
    await session.close();
  }

  section(3, 'The persistent cookie jar');
  {
    const session = createSession({ baseUrl: local.base });
    const host = new URL(local.base).hostname;
    await session.cookies.set('locale', 'fr-FR', { domain: host, path: '/' });
    show(`session.cookies.set('locale', 'fr-FR', { domain: '${host}' })`, 'stored');
    const sent = await session.client.get(local.paths.cookies).json();
    show('the next request carried', JSON.stringify(sent.cookies));
    for (const c of await session.cookies.all())
      show('  in the jar', `${c.name}=${c.value} (domain ${c.domain}, path ${c.path})`);
    const saved = JSON.stringify(session.cookies);
    await session.close();
    const again = createSession({ baseUrl: local.base, cookies: CookieJar.fromJSON(saved) });
    const restored = await again.client.get(local.paths.cookies).json();
    show('a new session from the saved JSON sent', JSON.stringify(restored.cookies));
    await again.close();
  }

  section(4, 'Retries with backoff, and a pool of 20 (mounted like an HTTPAdapter)');
  {
    const session = createSession({
      hooks: {
        beforeRetry: ({ attempt, delay, response, error }) =>
          show(
            `   retry ${attempt}`,
            `after ${response ? `status ${response.status}` : error?.name}, waiting ${Math.round(delay)} ms`,
          ),
      },
    });
    const adapter = {
      retry: {
        limit: 3,
        backoff: { initial: 250, factor: 2 },
        statusCodes: [429, 500, 502, 503, 504],
      },
      pool: { connections: 20 },
    };
    session.mount('http://', adapter).mount('https://', adapter);
    const id = `demo-${Date.now()}`;
    show('GET /flaky (fails twice with 503, then answers)', 'sending…');
    const started = Date.now();
    const res = await session(`${local.test}flaky?id=${id}&fail=2`);
    const body = await res.json();
    show('result', `${res.status} after ${body.tries} tries in ${Date.now() - started} ms`);
    await session.close();
  }

  section(5, 'Timeouts (connect, read) and proxies');
  {
    const session = createSession({
      baseUrl: local.base,
      timeout: { connect: 3_050, total: 800 },
      retry: false,
    });
    show(`GET ${local.paths.delay(3)} with timeout { total: 800 }`, 'sending…');
    const started = Date.now();
    try {
      const res = await session(local.paths.delay(3));
      await res.body?.cancel();
      show('unexpected', `status ${res.status}: the timeout did not fire`);
      failed = true;
    } catch (error) {
      show(
        `fired after ${Date.now() - started} ms`,
        `${error.name}${isTimeoutError(error) ? ` (limit: ${error.limit})` : ''}`,
      );
    }
    await session.close();
    if (local.proxy) {
      const proxied = createSession({ proxy: { http: local.proxy, https: local.proxy } });
      const seen = await (await proxied(`${local.test}echo/via-proxy`)).json();
      show(`GET through ${local.proxy}`, `the server saw Via: ${header(seen.headers, 'via')}`);
      await proxied.close();
    } else {
      show('proxy step', 'skipped: tinyproxy is not installed');
    }
  }

  section(
    6,
    'Good practice: close, timeouts everywhere, inject the session, log URL, status and latency (secrets redacted)',
  );
  {
    const logged = (line) => {
      show('log', line);
      if (line.includes('demo-secret')) {
        show('unexpected', 'the key reached the log');
        failed = true;
      }
    };
    const session = createSession({
      baseUrl: local.base,
      auth: ['user', 'pass'],
      timeout: 10_000,
      hooks: logger({ info: (line) => logged(line), warn: (line) => logged(line) }),
    });
    const fetchThings = async (http, path) => (await http(path)).status; // takes the session: no global
    // The logger redacts secrets: the Authorization header is never printed, nor this key.
    await fetchThings(session, `${local.paths.anything}?page=2&api_key=demo-secret`);
    await session.close();
    try {
      await session(local.paths.anything);
      show('unexpected', 'the closed session sent the call');
      failed = true;
    } catch (error) {
      show(
        'after close()',
        `${error.name}: ${/this session is closed/.exec(error.message)?.[0] ?? error.message}`,
      );
    }
  }

  section(7, 'A reusable API client: base URL, bearer token, retries, raise on HTTP errors');
  {
    const session = createSession({
      baseUrl: local.base,
      headers: { 'User-Agent': 'fetchstack-api-client/1.0', Accept: 'application/json' },
      auth: { bearer: 'demo-token' },
      retry: { limit: 3, backoff: { initial: 100 } },
    });
    const me = await session.client.get(local.paths.anything).json();
    show('GET anything sent Authorization', header(me.headers, 'authorization'));
    try {
      await session.client.get(local.paths.status(404));
      show('unexpected', 'a 404 did not throw');
      failed = true;
    } catch (error) {
      show(
        `GET ${local.paths.status(404)}`,
        `threw ${error.name} (status ${error.response?.status}), like raise_for_status()`,
      );
    }
    await session.close();
  }
  console.log(`\n${bold(failed ? 'demo finished with a problem (see above)' : 'demo finished')}`);
} catch (error) {
  failed = true;
  console.error('\ndemo failed:', error);
} finally {
  await local.close();
}
process.exit(failed ? 1 : 0);
