// The credential-leak matrix: every way a request through a session can leave for
// another origin, asserted on the wire: Authorization, Cookie and Proxy-Authorization
// reach only where they belong; Secure cookies never go over plain HTTP to a non-loopback host.
import { createSession, type Session } from '@fetchstack/session';
import {
  equal,
  errorTexts,
  group,
  match,
  ok,
  type Seen,
  seen,
  test,
  uid,
} from '@fetchstack/test-kit';

type Opts = Parameters<typeof createSession>[0];
const basic = (user: string, pass: string) => `Basic ${btoa(`${user}:${pass}`)}`;
const SESSION_AUTH = basic('user', 'pa55');
const MOUNT_AUTH = basic('mount', 'creds');
const PROXY_AUTH_BY_CALLER = 'Basic Y2FsbGVyOnByb3h5';

const serverRuntimes = {
  chromium: 'the browser follows redirects and keeps the cookies itself (fetch’s own rules apply)',
};

async function withSession<T>(opts: Opts, fn: (s: Session) => Promise<T>): Promise<T> {
  const s = createSession({ proxy: false, retry: false, ...opts });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** The one request the server logged under `id`. */
async function only(server: Parameters<typeof seen>[0], id: string): Promise<Seen> {
  const log = await seen(server, id);
  equal(log.length, 1, `requests logged for ${id}`);
  return log[0]!;
}

const cookieNames = (h: Record<string, string>) =>
  (h.cookie ?? '')
    .split(/;\s*/)
    .filter(Boolean)
    .map((c) => c.split('=')[0]);

group('hardening', () => {
  test(
    'leak matrix: redirects of every status to another port, host or scheme; string or Request; absolute or baseUrl',
    async ({ server, runtime }) => {
      const targets: [string, string, boolean][] = [
        ['same origin (control)', server.http, true],
        ['other port', server.http2, false],
        ['other host', server.httpLocalhost, false],
      ];
      // http → https on the same host is another origin (and needs the test CA): servers only.
      if (runtime !== 'chromium' && runtime !== 'workerd')
        targets.push(['other scheme', server.https, false]);
      const failures: string[] = [];
      // Every status × every target, each with two of the eight (input, entry, who) combinations,
      // rotating so each combination meets every status and target across the run (the full
      // product is 160 redirect chains: too slow for CI on a busy machine).
      const combos = (['string', 'Request'] as const).flatMap((input) =>
        (['absolute', 'baseUrl'] as const).flatMap((entry) =>
          (['session auth', 'caller Authorization'] as const).map((who) => ({ input, entry, who })),
        ),
      );
      let turn = 0;
      for (const status of [301, 302, 303, 307, 308]) {
        for (const [label, target, sameOrigin] of targets) {
          for (const { input, entry, who } of [combos[turn++ % 8]!, combos[(turn + 3) % 8]!]) {
            {
              const id = uid('leak');
              const first = uid('leak0');
              const to = `${target}/echo?log=${id}`;
              const path = `redirect?status=${status}&to=${encodeURIComponent(to)}&log=${first}`;
              await withSession(
                {
                  baseUrl: `${server.http}/`,
                  auth: who === 'session auth' ? ['user', 'pa55'] : undefined,
                  tls:
                    runtime === 'chromium' || runtime === 'workerd' ? undefined : { ca: server.ca },
                },
                async (s) => {
                  // A cookie in the jar, host-only for 127.0.0.1 (RFC 6265: any port).
                  await (
                    await s(`${server.http}/set-cookie?c=${encodeURIComponent('jar=1; Path=/')}`)
                  ).text();
                  const headers: Record<string, string> = {
                    Cookie: 'caller=1',
                    'Proxy-Authorization': PROXY_AUTH_BY_CALLER,
                  };
                  if (who === 'caller Authorization') headers.Authorization = 'Bearer caller-token';
                  const url = entry === 'absolute' ? `${server.http}/${path}` : path;
                  const res =
                    input === 'Request'
                      ? await s(new Request(new URL(url, `${server.http}/`), { headers }))
                      : await s(url, { headers });
                  await res.text();
                  equal(res.status, 200, `${status} → ${label}: followed`);
                },
              );
              const where = `${status} → ${label}, ${input}, ${entry}, ${who}`;
              const hop0 = await only(server, first);
              const hop1 = await only(server, id);
              const wantAuth = who === 'session auth' ? SESSION_AUTH : 'Bearer caller-token';
              // Control: the first hop carried everything, so absence below means stripped.
              if (hop0.headers.authorization !== wantAuth)
                failures.push(`${where}: first hop lacked Authorization`);
              const at = hop1.headers;
              const names = cookieNames(at);
              if (sameOrigin) {
                if (at.authorization !== wantAuth)
                  failures.push(`${where}: same-origin hop lost Authorization`);
                continue;
              }
              if (at.authorization !== undefined)
                failures.push(`${where}: Authorization ${at.authorization} reached ${target}`);
              if (at['proxy-authorization'] !== undefined)
                failures.push(`${where}: Proxy-Authorization reached ${target}`);
              if (names.includes('caller'))
                failures.push(`${where}: the caller's Cookie reached ${target}`);
              const jarMayGo = new URL(target).hostname === '127.0.0.1';
              if (!jarMayGo && names.includes('jar'))
                failures.push(`${where}: a 127.0.0.1 cookie reached ${target}`);
              if (jarMayGo && !names.includes('jar'))
                failures.push(`${where}: the jar's cookie for 127.0.0.1 was not sent to ${target}`);
            }
          }
        }
      }
      ok(
        failures.length === 0,
        `${failures.length} leaks or losses:\n${failures.slice(0, 12).join('\n')}`,
      );
    },
    { skip: serverRuntimes, timeout: 40_000 },
  );

  test(
    'leak matrix: credentials in the called URL (Bun, Deno, workerd send them as Basic) never follow a redirect to another origin',
    async ({ server, runtime }) => {
      const id = uid('urlcreds');
      const start = new URL(
        `${server.http}/redirect?status=307&to=${encodeURIComponent(`${server.http2}/echo?log=${id}`)}`,
      );
      start.username = 'u';
      start.password = 'secret';
      await withSession({}, async (s) => {
        let refused = false;
        try {
          await (await s(start.href)).text();
        } catch (error) {
          // Node and Chromium refuse a URL with credentials (the fetch standard's TypeError).
          ok(error instanceof TypeError, String(error));
          refused = true;
        }
        if (refused) {
          ok(
            runtime === 'node' || runtime === 'chromium',
            `${runtime} refused a URL with credentials`,
          );
          equal((await seen(server, id)).length, 0);
          return;
        }
        equal(
          (await only(server, id)).headers.authorization,
          undefined,
          'URL credentials followed a cross-origin redirect',
        );
      });
    },
    { skip: serverRuntimes },
  );

  test(
    'leak matrix: mount prefixes keep their own credentials, across redirects both ways',
    async ({ server }) => {
      await withSession({ auth: ['user', 'pa55'] }, async (s) => {
        s.mount(`${server.http2}/`, { auth: ['mount', 'creds'] });
        const a = uid('m');
        const b = uid('m');
        await (await s(`${server.http}/echo?log=${a}`)).text();
        await (await s(`${server.http2}/echo?log=${b}`)).text();
        equal((await only(server, a)).headers.authorization, SESSION_AUTH);
        equal((await only(server, b)).headers.authorization, MOUNT_AUTH, 'the mount’s credentials');
        // Across: a hop into the mount's prefix, and out of it.
        const c = uid('m');
        const d = uid('m');
        await (
          await s(
            `${server.http}/redirect?to=${encodeURIComponent(`${server.http2}/echo?log=${c}`)}`,
          )
        ).text();
        await (
          await s(
            `${server.http2}/redirect?to=${encodeURIComponent(`${server.http}/echo?log=${d}`)}`,
          )
        ).text();
        const intoMount = (await only(server, c)).headers.authorization;
        const outOfMount = (await only(server, d)).headers.authorization;
        ok(
          intoMount !== SESSION_AUTH,
          `the session's credentials followed a redirect into the mount: ${intoMount}`,
        );
        ok(
          outOfMount !== MOUNT_AUTH,
          `the mount's credentials followed a redirect out of it: ${outOfMount}`,
        );
      });
    },
    { skip: serverRuntimes },
  );

  test(
    'leak matrix: path mounts on one origin keep their own credentials across a redirect between them',
    async ({ server }) => {
      await withSession({ auth: ['user', 'pa55'] }, async (s) => {
        s.mount(`${server.http}/echo/admin/`, { auth: ['mount', 'creds'] });
        s.mount(`${server.http}/redirect/admin/`, { auth: ['mount', 'creds'] });
        const direct = uid('pm');
        const hopOut = uid('pm');
        const hopIn = uid('pm');
        await (await s(`${server.http}/echo/admin/x?log=${direct}`)).text();
        equal(
          (await only(server, direct)).headers.authorization,
          MOUNT_AUTH,
          'a call into the mount',
        );
        await (
          await s(
            `${server.http}/redirect/admin/go?to=${encodeURIComponent(`/echo/public?log=${hopOut}`)}`,
          )
        ).text();
        await (
          await s(`${server.http}/redirect?to=${encodeURIComponent(`/echo/admin/y?log=${hopIn}`)}`)
        ).text();
        equal(
          (await only(server, hopOut)).headers.authorization,
          SESSION_AUTH,
          'a hop out of the mount gets the session’s credentials, not the mount’s',
        );
        equal(
          (await only(server, hopIn)).headers.authorization,
          MOUNT_AUTH,
          'a hop into the mount gets the mount’s credentials, not the session’s',
        );
      });
    },
    { skip: serverRuntimes },
  );

  test(
    'leak matrix: a Location with a user name and password is not followed, and no message repeats the password',
    async ({ server }) => {
      await withSession({}, async (s) => {
        for (const to of [
          `${server.http2.replace('://', '://evil:L0CPW@')}/echo`,
          `${server.http.replace('://', '://evil:L0CPW@')}/echo`,
        ]) {
          let error: unknown;
          try {
            await s(`${server.http}/hardening/location?to=${encodeURIComponent(to)}`);
          } catch (e) {
            error = e;
          }
          const e = error as { name?: string; code?: string; message?: string; location?: string };
          equal(e?.name, 'RedirectError', `not followed: ${String(error)}`);
          equal(e.code, 'BAD_LOCATION');
          match(e.message ?? '', /user name or password/);
          // The called URL (which holds the Location in its query, as this test server needs)
          // is the caller's own; what the error adds of the Location must not show the password.
          const called = `${(e as { url?: string }).url}`;
          const added = JSON.stringify({ ...e, url: undefined, message: e.message }).replaceAll(
            JSON.stringify(called).slice(1, -1),
            '',
          );
          ok(!added.includes('L0CPW'), `the password is in the error: ${added}`);
          match(e.location ?? '', /^http:\/\/\*\*\*:\*\*\*@/);
        }
      });
    },
    { skip: serverRuntimes },
  );

  test(
    'leak matrix: a Location that is not a URL: no password or secret query value in the error or its causes',
    async ({ server }) => {
      const location = 'http://evil:L0CPW@[::1/';
      await withSession({}, async (s) => {
        let error: unknown;
        try {
          await s(
            `${server.http}/hardening/location?to=${encodeURIComponent(location)}&access_token=QT0KEN`,
          );
        } catch (e) {
          error = e;
        }
        equal((error as { code?: string })?.code, 'BAD_LOCATION', String(error));
        // Every string the error or its causes hold (what console.error prints).
        const texts = errorTexts(error);
        // The called URL holds the Location in its query (the test server needs it there).
        const text = texts.join('\n').replaceAll(encodeURIComponent(location), '<to>');
        ok(!text.includes('L0CPW'), `the password is in the error: ${text}`);
        ok(!text.includes('QT0KEN'), `the secret parameter is in the error: ${text}`);
      });
    },
    { skip: serverRuntimes },
  );

  test(
    'leak matrix: an auth middleware of yours is not run for a redirect hop to another origin',
    async ({ server }) => {
      let runs = 0;
      const auth = (next: typeof fetch) => (input: string | URL | Request, init?: RequestInit) => {
        runs++;
        const headers = new Headers(init?.headers);
        headers.set('Authorization', 'Custom s3cret');
        return next(input, { ...init, headers });
      };
      await withSession({ auth }, async (s) => {
        const same = uid('mw');
        const other = uid('mw');
        await (
          await s(`${server.http}/redirect?to=${encodeURIComponent(`/echo?log=${same}`)}`)
        ).text();
        equal(runs, 2, 'it signs the call and a hop on the same origin');
        equal((await only(server, same)).headers.authorization, 'Custom s3cret');
        await (
          await s(
            `${server.http}/redirect?to=${encodeURIComponent(`${server.http2}/echo?log=${other}`)}`,
          )
        ).text();
        equal(runs, 3, 'it did not run for the hop to another origin');
        equal((await only(server, other)).headers.authorization, undefined);
      });
    },
    { skip: serverRuntimes },
  );

  test(
    'leak matrix: the session’s default headers never carry a credential to an origin the caller did not name',
    async ({ server }) => {
      // auth given as a session default header (as some users do) is the caller's own choice:
      // it goes where the caller sends it, but is stripped on a cross-origin hop like any Authorization.
      const id = uid('dh');
      await withSession({ headers: { Authorization: 'Bearer default-header' } }, async (s) => {
        await (
          await s(
            `${server.http}/redirect?status=307&to=${encodeURIComponent(`${server.http2}/echo?log=${id}`)}`,
          )
        ).text();
      });
      equal((await only(server, id)).headers.authorization, undefined);
    },
    { skip: serverRuntimes },
  );

  test(
    'leak matrix: through a proxy, Proxy-Authorization goes to the proxy only, never to a server or a direct hop',
    async ({ server }) => {
      ok(server.proxyAuth, 'tinyproxy with auth is not running');
      const direct = new URL(server.http2);
      const a = uid('px');
      const b = uid('px');
      const c = uid('px');
      await withSession(
        { proxy: { http: server.proxyAuth, noProxy: `${direct.hostname}:${direct.port}` } },
        async (s) => {
          const res = await s(`${server.http}/echo?log=${a}`);
          await res.text();
          equal(res.status, 200, 'went through the authenticating proxy');
          await (await s(`${server.http2}/echo?log=${b}`)).text();
          await (
            await s(
              `${server.http}/redirect?status=302&to=${encodeURIComponent(`${server.http2}/echo?log=${c}`)}`,
            )
          ).text();
        },
      );
      const viaProxy = await only(server, a);
      match(
        viaProxy.headers.via ?? '',
        /tinyproxy/i,
        'reached the server through tinyproxy (its Via header)',
      );
      equal(
        viaProxy.headers['proxy-authorization'],
        undefined,
        'the proxy passed its credentials on',
      );
      const directHop = await only(server, b);
      equal(directHop.headers.via, undefined, 'the noProxy request went direct');
      equal(directHop.headers['proxy-authorization'], undefined, 'a direct (noProxy) request');
      const redirectedHop = await only(server, c);
      equal(
        redirectedHop.headers.via,
        undefined,
        'the redirect hop to a noProxy origin went direct',
      );
      equal(
        redirectedHop.headers['proxy-authorization'],
        undefined,
        'a redirect from proxied to direct',
      );
    },
    {
      skip: (env) =>
        env.runtime === 'chromium' || env.runtime === 'workerd'
          ? 'no proxies on edge runtimes'
          : !env.server.proxyAuth && 'tinyproxy is not installed',
    },
  );

  test(
    'leak matrix: Secure cookies never go over plain HTTP to a non-loopback host, and do go to loopback',
    async ({ server }) => {
      await withSession({}, async (s) => {
        // Every test host is loopback, so the non-loopback rule is checked on the jar itself:
        // what it would attach to a request for each URL (the cookie layer sends exactly that).
        await s.cookies.set('sec', '1', { domain: 'example.test', secure: true });
        await s.cookies.set('plain', '1', { domain: 'example.test' });
        equal(
          await s.cookies.get('sec', 'http://example.test/'),
          undefined,
          'Secure cookie offered to http://example.test',
        );
        equal((await s.cookies.get('sec', 'https://example.test/'))?.value, '1');
        equal((await s.cookies.get('plain', 'http://example.test/'))?.value, '1');
        equal(
          await s.cookies.get('sec', 'http://sub.example.test/'),
          undefined,
          'Secure cookie offered to http://sub.example.test',
        );
        // Loopback counts as a secure context: a Secure cookie set by http://127.0.0.1 is sent back there.
        const id = uid('sec');
        await (
          await s(`${server.http}/set-cookie?c=${encodeURIComponent('loop=1; Secure; Path=/')}`)
        ).text();
        await (await s(`${server.http}/echo?log=${id}`)).text();
        ok(
          cookieNames((await only(server, id)).headers).includes('loop'),
          'Secure cookie sent to loopback',
        );
        // ...and never to another loopback name over a redirect (host-only cookie).
        const id2 = uid('sec');
        await (
          await s(
            `${server.http}/redirect?to=${encodeURIComponent(`${server.httpLocalhost}/echo?log=${id2}`)}`,
          )
        ).text();
        ok(
          !cookieNames((await only(server, id2)).headers).includes('loop'),
          'host-only cookie went to localhost',
        );
      });
    },
    { skip: { chromium: serverRuntimes.chromium } },
  );
});
