// Cases for @fetchstack/cookies (portable: no node: imports; they run in every runtime).

import { CookieJar, cookies, isCookieJarUnavailableError } from '@fetchstack/cookies';
import { wrap } from '@fetchstack/core';
import { redirect } from '@fetchstack/redirect';
import { createSession } from '@fetchstack/session';
import {
  deepEqual,
  equal,
  group,
  ok,
  rejects,
  type Seen,
  seen,
  type TestEnv,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';
import { CookieJar as ToughCookieJar } from 'tough-cookie';

const browserJar =
  'browsers keep their own jar (a page cannot read Set-Cookie): see the chromium cases';
const noHttpbin = ({ server }: TestEnv) =>
  server.httpbin
    ? false
    : 'Debian httpbin is not installed (apt-get install python3-httpbin python3-gunicorn)';

type CookieEcho = { cookies: Record<string, string>; raw: string | null };
const cookiesOf = async (res: Response): Promise<CookieEcho> => (await res.json()) as CookieEcho;
const setCookie = (base: string, ...lines: string[]) =>
  `${base}/set-cookie?${lines.map((l) => `c=${encodeURIComponent(l)}`).join('&')}`;

group('cookies', () => {
  test(
    'httpbin: /cookies/set is stored across its redirect, sent to /cookies, removed by /cookies/delete',
    async ({ server }) => {
      const jar = new CookieJar();
      const f = wrap(fetch, cookies({ jar }));
      const set = await f(`${server.httpbin}/cookies/set?flavour=oat&size=large`);
      equal(set.status, 200);
      equal(set.redirected, true, 'the 302 of /cookies/set was followed');
      deepEqual(((await set.json()) as { cookies: unknown }).cookies, {
        flavour: 'oat',
        size: 'large',
      });
      const again = (await (await f(`${server.httpbin}/cookies`)).json()) as { cookies: unknown };
      deepEqual(again.cookies, { flavour: 'oat', size: 'large' });
      equal((await jar.get('flavour', server.httpbin!))?.value, 'oat');
      const del = (await (await f(`${server.httpbin}/cookies/delete?flavour`)).json()) as {
        cookies: unknown;
      };
      deepEqual(del.cookies, { size: 'large' });
      equal(await jar.get('flavour', server.httpbin!), undefined);
    },
    { skip: (env) => noHttpbin(env) || (env.runtime === 'chromium' ? browserJar : false) },
  );

  test(
    'every hop of a redirect chain stores its cookies, and each hop carries the earlier ones',
    async ({ server }) => {
      const id = uid('chain');
      const f = wrap(fetch, cookies());
      const res = await f(`${server.http}/chain?n=3&log=${id}`);
      equal(res.status, 200);
      equal(res.redirected, true);
      const hops = await seen(server, id);
      deepEqual(
        hops.map((h) => h.headers.cookie ?? null),
        [null, 'hop3=1', 'hop3=1; hop2=1', 'hop3=1; hop2=1; hop1=1'],
      );
    },
    { skip: { chromium: browserJar } },
  );

  test(
    "under redirect(): cookies set by a 302 reach the next hop on another port, not the caller's Cookie",
    async ({ server }) => {
      const id = uid('xport');
      const f = wrap(fetch, redirect(), cookies());
      const to = `${server.http2}/echo/landed?log=${id}`;
      const res = await f(
        `${server.http}/set-cookie?c=${encodeURIComponent('jarred=1; Path=/')}&to=${encodeURIComponent(to)}`,
        {
          headers: { Cookie: 'caller=secret' },
        },
      );
      equal(res.status, 200);
      // Cookies are not port-bound (RFC 6265): the jar's cookie goes to the other port; the caller's header does not.
      equal((await seen(server, id))[0]?.headers.cookie, 'jarred=1');
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'host-only, domain and path: a cookie from 127.0.0.1 is not sent to localhost; Path limits it',
    async ({ server }) => {
      const f = wrap(fetch, cookies());
      await (await f(setCookie(server.http, 'everywhere=1', 'only_echo=1; Path=/echo'))).text();
      const here = await cookiesOf(await f(`${server.http}/cookies`));
      deepEqual(here.cookies, { everywhere: '1' }, 'Path=/echo is not sent to /cookies');
      const echoed = (await (await f(`${server.http}/echo/x`)).json()) as Seen;
      equal(
        echoed.headers.cookie,
        'only_echo=1; everywhere=1',
        'the longer path first, as RFC 6265 orders them',
      );
      const other = await cookiesOf(await f(`${server.httpLocalhost}/cookies`));
      equal(other.raw, null, 'another host name gets nothing (host-only)');
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'a plain-object init.headers with both Cookie and cookie: both reach the server, then the jar’s',
    async ({ server }) => {
      const jar = new CookieJar();
      await jar.set('jar', '1', { domain: '127.0.0.1' });
      const f = wrap(fetch, cookies({ jar }));
      const echoed = (await (
        await f(`${server.http}/echo`, { headers: { Cookie: 'a=mine', cookie: 'b=mine' } })
      ).json()) as Seen;
      equal(echoed.headers.cookie, 'a=mine; b=mine; jar=1');
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'a tough-cookie jar of yours in a session: session.cookies follows the jar’s own rules',
    async () => {
      const tough = new ToughCookieJar(undefined, { rejectPublicSuffixes: false });
      await using session = createSession({ cookies: tough });
      // A public suffix this jar accepts (tough-cookie's default rules refuse it).
      await session.cookies.set('site', '1', { domain: 'github.io' });
      equal((await session.cookies.get('site', 'https://github.io/'))?.value, '1');
      const saved = JSON.parse(JSON.stringify(session.cookies)) as Record<string, unknown>;
      equal(saved.rejectPublicSuffixes, false, 'its JSON keeps the rule, for fromJSON');
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'Secure cookies: sent to loopback over plain HTTP; never to another plain-HTTP host',
    async ({ server }) => {
      const jar = new CookieJar();
      const f = wrap(fetch, cookies({ jar }));
      await (await f(setCookie(server.http, 'sec=1; Secure; Path=/'))).text();
      equal(
        (await cookiesOf(await f(`${server.http}/cookies`))).cookies.sec,
        '1',
        'loopback is a secure context',
      );
      await jar.set('remote', '1', { domain: 'example.com', secure: true });
      equal((await jar.all('http://example.com/')).length, 0, 'not over plain HTTP to example.com');
      equal((await jar.get('remote', 'https://example.com/'))?.value, '1', 'over HTTPS it is');
      await rejects(
        jar
          .set('insecure', '1', { domain: 'example.com', secure: true })
          .then(() => jar.setCookie('x=1; Secure', 'http://example.com/')),
      );
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'expiry: Max-Age=0 and a past Expires remove; Max-Age wins over Expires',
    async ({ server }) => {
      const jar = new CookieJar();
      const f = wrap(fetch, cookies({ jar }));
      await (
        await f(
          setCookie(
            server.http,
            'a=1',
            'b=2',
            'c=3; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
          ),
        )
      ).text();
      deepEqual((await cookiesOf(await f(`${server.http}/cookies`))).cookies, {
        a: '1',
        b: '2',
        c: '3',
      });
      await (
        await f(
          setCookie(server.http, 'a=1; Max-Age=0', 'b=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT'),
        )
      ).text();
      deepEqual((await cookiesOf(await f(`${server.http}/cookies`))).cookies, { c: '3' });
      const c = await jar.get('c', server.http);
      ok(c?.expires instanceof Date || c?.maxAge === 3600, 'c has an expiry');
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'public suffixes and foreign domains are refused; a malformed Set-Cookie is ignored and the response is intact',
    async ({ server }) => {
      const jar = new CookieJar();
      const f = wrap(fetch, cookies({ jar }));
      const res = await f(
        setCookie(
          server.http,
          'good=1',
          '=novalue',
          'evil=1; Domain=example.com',
          ';;;',
          'bad name=1',
          'ok2=2; Path=/; HttpOnly',
        ),
      );
      equal(res.status, 200);
      ok(Array.isArray(((await res.json()) as { set: unknown }).set), 'the body is intact');
      const sent = (await cookiesOf(await f(`${server.http}/cookies`))).cookies;
      equal(sent.good, '1');
      equal(sent.ok2, '2');
      equal(sent.evil, undefined, 'Domain=example.com from 127.0.0.1 is refused');
      equal(
        await jar.setCookie('tld=1; Domain=com', 'http://shop.example.com/', { ignoreError: true }),
        undefined,
        'Domain=com refused',
      );
      await rejects(jar.set('tld', '1', { domain: 'com' }), { name: 'TypeError' });
      await rejects(jar.set('tld', '1', { domain: 'co.uk' }), { name: 'TypeError' });
      equal((await jar.all()).filter((c) => c.name === 'tld').length, 0);
    },
    { skip: { chromium: browserJar } },
  );

  test(
    "a Cookie header the call sets is merged with the jar's (the call wins a shared name), in every input form",
    async ({ server }) => {
      const jar = new CookieJar();
      await jar.set('a', 'jar', { domain: '127.0.0.1' });
      await jar.set('b', 'jar', { domain: '127.0.0.1' });
      const f = wrap(fetch, cookies({ jar }));
      const url = `${server.http}/echo`;
      const forms: [string, () => Promise<Response>][] = [
        ['plain object', () => f(url, { headers: { Cookie: 'b=call; c=3' } })],
        ['Headers', () => f(url, { headers: new Headers({ cookie: 'b=call; c=3' }) })],
        ['pairs', () => f(new URL(url), { headers: [['Cookie', 'b=call; c=3']] })],
        ['Request', () => f(new Request(url, { headers: { Cookie: 'b=call; c=3' } }))],
      ];
      for (const [name, call] of forms) {
        const got = ((await (await call()).json()) as Seen).headers.cookie;
        equal(got, 'b=call; c=3; a=jar', name);
      }
      const own = new Headers({ cookie: 'x=1' });
      await (await f(url, { headers: own })).text();
      equal(own.get('cookie'), 'x=1', "the caller's Headers are not changed");
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'the jar API: set/get/all/delete/clear, the shape of a cookie, toJSON and fromJSON',
    async ({ server }) => {
      const jar = new CookieJar();
      const expires = new Date(Date.now() + 3_600_000);
      const made = await jar.set('locale', 'fr-FR', {
        domain: 'example.com',
        path: '/app',
        httpOnly: true,
        sameSite: 'lax',
        expires,
      });
      equal(made.name, 'locale');
      await jar.set('other', '1', { domain: 'api.example.com' });
      const c = await jar.get('locale', 'https://www.example.com/app/page');
      ok(c, 'a subdomain gets a domain cookie');
      equal(c.name, 'locale');
      equal(c.value, 'fr-FR');
      equal(c.domain, 'example.com');
      equal(c.path, '/app');
      equal(c.secure, false);
      equal(c.httpOnly, true);
      equal(c.sameSite, 'lax');
      equal((c.expires as Date).getTime(), expires.getTime());
      equal(await jar.get('locale', 'https://example.com/'), undefined, 'outside /app');
      c.value = 'changed';
      equal(
        (await jar.get('locale', 'https://example.com/app'))?.value,
        'fr-FR',
        'a returned cookie is a copy',
      );
      deepEqual((await jar.all()).map((x) => x.name).sort(), ['locale', 'other']);
      deepEqual(
        (await jar.all('https://api.example.com/')).map((x) => x.name),
        ['other'],
      );

      const saved = JSON.stringify(jar);
      const restored = CookieJar.fromJSON(saved);
      ok(restored instanceof CookieJar, 'fromJSON gives a fetchstack CookieJar');
      equal((await restored.get('locale', 'https://example.com/app'))?.value, 'fr-FR');
      equal(
        (await CookieJar.fromJSON(JSON.parse(saved)).all()).length,
        2,
        'the parsed object works too',
      );

      equal(await jar.delete('locale', { domain: 'other.com' }), 0);
      equal(await jar.delete('locale', { domain: '.example.com' }), 1);
      deepEqual(
        (await jar.all()).map((x) => x.name),
        ['other'],
      );
      await jar.clear();
      deepEqual(await jar.all(), []);
      equal((await restored.all()).length, 2, 'the restored jar is separate');

      // A restored jar works on the wire.
      const wire = new CookieJar();
      await wire.set('restored', 'yes', { domain: '127.0.0.1' });
      const f = wrap(fetch, cookies({ jar: CookieJar.fromJSON(JSON.stringify(wire)) }));
      equal((await cookiesOf(await f(`${server.http}/cookies`))).cookies.restored, 'yes');

      await rejects(jar.set('x', '1', {} as any), { name: 'TypeError', message: /domain/ });
      await rejects(jar.set('bad name', '1', { domain: 'example.com' }), { name: 'TypeError' });
      await rejects(jar.set('x', 'a;b', { domain: 'example.com' }), { name: 'TypeError' });
    },
    { skip: { chromium: browserJar } },
  );

  test(
    'a raw tough-cookie CookieJar is accepted; each wrapper without a jar gets its own',
    async ({ server }) => {
      const tough = new ToughCookieJar();
      const f = wrap(fetch, cookies({ jar: tough }));
      await (await f(setCookie(server.http, 'raw=1'))).text();
      equal(await tough.getCookieString(server.http), 'raw=1');
      equal((await cookiesOf(await f(`${server.http}/cookies`))).cookies.raw, '1');
      const a = wrap(fetch, cookies());
      const b = wrap(fetch, cookies());
      await (await a(setCookie(server.http, 'mine=a'))).text();
      equal(
        (await cookiesOf(await b(`${server.http}/cookies`))).raw,
        null,
        "b never sees a's cookies",
      );
      equal((await cookiesOf(await a(`${server.http}/cookies`))).cookies.mine, 'a');
    },
    { skip: { chromium: browserJar } },
  );

  test(
    "credentials: 'omit' sends and stores nothing (per call, per Request, or as the wrapper's default)",
    async ({ server }) => {
      const jar = new CookieJar();
      await jar.set('k', 'v', { domain: '127.0.0.1' });
      const f = wrap(fetch, cookies({ jar }));
      equal(
        (await cookiesOf(await f(`${server.http}/cookies`, { credentials: 'omit' }))).raw,
        null,
      );
      const omitRequest = new Request(`${server.http}/cookies`, { credentials: 'omit' });
      // Bun: a Request does not keep `credentials` (it reads back 'include'), so only the init form applies there.
      if (omitRequest.credentials === 'omit')
        equal((await cookiesOf(await f(omitRequest))).raw, null, 'Request');
      await (await f(setCookie(server.http, 'omitted=1'), { credentials: 'omit' })).text();
      equal(await jar.get('omitted', server.http), undefined, 'not stored');
      const off = wrap(fetch, cookies({ jar, credentials: 'omit' }));
      equal((await cookiesOf(await off(`${server.http}/cookies`))).raw, null);
      equal(
        (await cookiesOf(await off(`${server.http}/cookies`, { credentials: 'include' }))).raw,
        'k=v',
      );
    },
    { skip: { chromium: browserJar } },
  );

  test('bad options are a TypeError naming the option when the wrapper is made', () => {
    throws(() => cookies({ jar: {} as any }), { name: 'TypeError', message: /jar/ });
    throws(() => cookies({ jar: 'jar' as any }), { name: 'TypeError', message: /jar/ });
    throws(() => cookies({ jars: new CookieJar() } as any), {
      name: 'TypeError',
      message: /Did you mean "jar"/,
    });
    throws(() => cookies({ credentials: 'always' as any }), {
      name: 'TypeError',
      message: /credentials/,
    });
    throws(() => cookies(42 as any), { name: 'TypeError' });
  });

  test(
    "chromium: the browser's own jar is used, with the call's own credentials unless asked (cookies({ credentials }), per call); CookieJar methods reject",
    async ({ server }) => {
      const name = `b${uid('c').replace(/[^a-z0-9]/gi, '')}`;
      const include = wrap(fetch, cookies({ credentials: 'include' }));
      // Set by another origin (other port): stored by the browser only because the call went with credentials.
      await (await include(setCookie(server.http2, `${name}=1; Path=/`))).text();
      const plain = await cookiesOf(await fetch(`${server.http}/cookies`));
      equal(
        plain.cookies[name],
        '1',
        'a plain same-origin fetch now carries it: the browser jar holds it',
      );
      // Left to itself, fetch sends no cookie to another origin: neither do cookies() nor a session.
      const native = await cookiesOf(await fetch(`${server.http2}/cookies`));
      equal(native.cookies[name], undefined, 'plain fetch sends no cookie to another origin');
      const f = wrap(fetch, cookies());
      equal((await cookiesOf(await f(`${server.http2}/cookies`))).cookies[name], undefined);
      await using session = createSession({ retry: false });
      equal(
        (await cookiesOf(await session(`${server.http2}/cookies`))).cookies[name],
        undefined,
        'a session sends no cookie to another origin unless asked',
      );
      // Asked for: the wrapper's option, the call's own credentials, or a session's middleware.
      equal((await cookiesOf(await include(`${server.http2}/cookies`))).cookies[name], '1');
      const asked = await session(`${server.http2}/cookies`, { credentials: 'include' });
      equal((await cookiesOf(asked)).cookies[name], '1', 'per call, through a session');
      equal(
        (await cookiesOf(await f(`${server.http2}/cookies`, { credentials: 'include' }))).cookies[
          name
        ],
        '1',
      );
      await using everywhere = createSession({
        retry: false,
        middleware: [(next) => (input, init) => next(input, { credentials: 'include', ...init })],
      });
      equal((await cookiesOf(await everywhere(`${server.http2}/cookies`))).cookies[name], '1');
      const omitted = await cookiesOf(
        await include(`${server.http2}/cookies`, { credentials: 'omit' }),
      );
      equal(omitted.cookies[name], undefined, "the call's own credentials win");

      // A public API (Access-Control-Allow-Origin: *) refuses credentialed calls: it answers
      // a session and cookies() as it answers fetch.
      const star = (id: string) =>
        `${server.http2}/fidelity/record/${id}?h=${encodeURIComponent('access-control-allow-origin:*')}`;
      equal((await fetch(star(uid('star')))).status, 200, 'plain fetch reaches it');
      equal((await f(star(uid('star')))).status, 200, 'cookies() reaches it');
      equal((await session(star(uid('star')))).status, 200, 'a session reaches it');
      await using retrying = createSession();
      equal((await retrying(star(uid('star')))).status, 200, 'a session with retries on too');
      await rejects(include(star(uid('star'))), { name: 'TypeError' });

      const jar = new CookieJar();
      const error = await rejects(jar.get(name, server.http));
      ok(isCookieJarUnavailableError(error), 'CookieJarUnavailableError');
      equal(
        typeof cookies({ jar }),
        'function',
        "the browser build's CookieJar is accepted (and ignored) as a jar",
      );
      // Clean up the browser jar.
      await (await include(setCookie(server.http, `${name}=; Max-Age=0; Path=/`))).text();
    },
    {
      skip: {
        server: 'server runtimes use the tough-cookie jar (the other cases)',
        workerd: 'workerd uses the tough-cookie jar (the other cases)',
      },
    },
  );
});
