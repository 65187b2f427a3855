// Fuzzed input for the wrappers and the session: options objects (only documented
// TypeErrors escape, never another error or a hang), Set-Cookie lines into the jar
// (`__proto__` is a cookie, not a prototype write), Retry-After values, and redirect
// Location values (only http(s) are followed).
import { basicAuth, bearerAuth, digestAuth } from '@fetchstack/auth';
import { CookieJar, cookies } from '@fetchstack/cookies';
import { proxy } from '@fetchstack/proxy';
import { redirect } from '@fetchstack/redirect';
import { parseRetryAfter, retry } from '@fetchstack/retry';
import { createSession } from '@fetchstack/session';
import { equal, group, ok, test } from '@fetchstack/test-kit';
import { timeout } from '@fetchstack/timeout';
import fc from 'fast-check';
import { describeThrown, letPoolSettle, PURE_RUNS, params, WIRE_RUNS } from './util.js';

const junkValue = fc.oneof(
  fc.anything({
    maxDepth: 1,
    maxKeys: 2,
    withBigInt: true,
    withNullPrototype: true,
    withDate: true,
  }),
  fc.constantFrom(
    -1,
    0,
    0.5,
    1,
    3,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    '',
    'env',
    'http://127.0.0.1:1',
    'not a url',
    true,
    false,
    null,
  ),
  fc.constant(() => 'token'),
  fc.constant([]),
);

/** An options object made of known keys (and one typo) with values of any type. */
function optionsOf(keys: readonly string[]) {
  const shape: Record<string, typeof junkValue> = {};
  for (const k of [...keys, `${keys[0] ?? 'x'}s`]) shape[k] = junkValue;
  return fc.oneof(junkValue, fc.record(shape, { requiredKeys: [] }));
}

const DOCUMENTED = new Set(['TypeError', 'ProxyUnsupportedError']);

/** Calls `make`; it must return, or throw one of the documented errors. Returns what it made. */
function madeOrTypeError(label: string, make: () => unknown): unknown {
  try {
    return make();
  } catch (error) {
    ok(
      error instanceof Error && DOCUMENTED.has(error.name),
      `${label} threw ${describeThrown(error)} (only TypeError, or ProxyUnsupportedError on edge runtimes, may escape)`,
    );
    ok((error as Error).message.length > 10, `${label}: an error without a message`);
    return undefined;
  }
}

const factories: [string, readonly string[], (o: any) => unknown][] = [
  [
    'retry',
    [
      'limit',
      'methods',
      'statusCodes',
      'backoff',
      'retryAfter',
      'networkErrors',
      'throwOnExhausted',
      'onRetry',
      'budget',
      'maxBufferSize',
    ],
    (o) => retry(o),
  ],
  ['timeout', ['total', 'attempt', 'read'], (o) => timeout(o)],
  ['redirect', ['limit'], (o) => redirect(o)],
  ['cookies', ['jar', 'credentials'], (o) => cookies(o)],
  ['basicAuth', ['origins'], (o) => basicAuth('u', 'p', o)],
  ['bearerAuth', ['refresh', 'origins'], (o) => bearerAuth('t', o)],
  ['digestAuth', ['origins'], (o) => digestAuth('u', 'p', o)],
];

const SESSION_KEYS = [
  'baseUrl',
  'headers',
  'auth',
  'cookies',
  'retry',
  'timeout',
  'proxy',
  'tls',
  'pool',
  'middleware',
  'hooks',
  'mount',
  'fetch',
] as const;

group('hardening', () => {
  test('fuzz: every wrapper’s options: a layer, or a TypeError with a message; nothing else escapes', () => {
    for (const [name, keys, make] of factories) {
      fc.assert(
        fc.property(optionsOf(keys), (o) => {
          const made = madeOrTypeError(`${name}(options)`, () => make(o));
          if (made !== undefined)
            equal(typeof made, 'function', `${name}() returned a non-function`);
        }),
        params(PURE_RUNS / 4),
      );
    }
    // Positional arguments of the auth factories and proxy targets.
    fc.assert(
      fc.property(junkValue, junkValue, (a, b) => {
        madeOrTypeError('basicAuth', () => basicAuth(a as any, b as any));
        madeOrTypeError('digestAuth', () => digestAuth(a as any, b as any));
        madeOrTypeError('bearerAuth', () => bearerAuth(a as any));
      }),
      params(PURE_RUNS / 4),
    );
  });

  test(
    'fuzz: proxy(target) and createSession(options): made (and closed), or a documented error',
    async () => {
      await fc.assert(
        fc.asyncProperty(optionsOf(['http', 'https', 'noProxy']), async (target) => {
          const layer = madeOrTypeError('proxy', () => proxy(target as any)) as any;
          await layer?.close?.();
        }),
        params(150),
      );
      await fc.assert(
        fc.asyncProperty(optionsOf(SESSION_KEYS), async (o) => {
          // 'env' would read this process's proxy variables: the property is about shapes.
          const opts =
            o && typeof o === 'object' && !Array.isArray(o) && (o as any).proxy === 'env'
              ? { ...(o as object), proxy: false }
              : o;
          const s = madeOrTypeError('createSession', () => createSession(opts as any)) as any;
          if (s !== undefined) {
            equal(typeof s, 'function', 'a session is a fetch function');
            await s.close();
          }
        }),
        params(300),
      );
    },
    { timeout: 20_000 },
  );

  test('fuzz: parseRetryAfter: never throws; integers are seconds; garbage, negatives and past dates are undefined', () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0);
    const piece = fc.constantFrom(
      '0',
      '1',
      '9',
      '-',
      '+',
      '.',
      'e',
      ' ',
      '\t',
      'GMT',
      'Mon, ',
      'Nov ',
      '2026 ',
      '12:00:00',
      'soon',
      '∞',
      '٣',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: piece, maxLength: 8 }),
          fc.string(),
          fc.integer().map(String),
          fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
        ),
        (value) => {
          let ms: number | undefined;
          try {
            ms = parseRetryAfter(value, now);
          } catch (error) {
            ok(false, `parseRetryAfter(${JSON.stringify(value)}) threw ${describeThrown(error)}`);
          }
          if (ms === undefined) return;
          ok(Number.isFinite(ms) && ms >= 0, `${JSON.stringify(value)} → ${ms}`);
          const text = value.trim();
          if (/^\d+$/.test(text))
            equal(ms, Number(text) * 1000, `${JSON.stringify(value)} seconds`);
          else
            ok(
              !/^[-+]?\d*\.?\d+$/.test(text),
              `${JSON.stringify(value)} is not a whole number of seconds but gave ${ms}`,
            );
        },
      ),
      params(PURE_RUNS),
    );
  });

  test(
    'fuzz: Set-Cookie lines of any shape into the jar: no crash, no prototype write, __proto__ is a cookie',
    async () => {
      const name = fc.oneof(
        fc.constantFrom(
          '__proto__',
          'constructor',
          'prototype',
          'toString',
          'hasOwnProperty',
          'valueOf',
          '__defineGetter__',
          'polluted',
        ),
        fc.stringMatching(/^[a-zA-Z0-9_!#$%&'*+.^`|~-]{1,8}$/),
      );
      const attr = fc.constantFrom(
        '',
        '; Path=/',
        '; Path=',
        '; Domain=127.0.0.1',
        '; Domain=example.test',
        '; Domain=.',
        '; Secure',
        '; HttpOnly',
        '; Max-Age=-1',
        '; Max-Age=abc',
        '; Max-Age=99999999999999999999',
        '; Expires=garbage',
        '; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
        '; SameSite=Whatever',
        '; =',
        ';;;',
        '; Partitioned',
      );
      const value = fc.string({
        unit: fc.constantFrom('a', '1', '=', ' ', '"', ',', '\\', '%', 'é'),
        maxLength: 6,
      });
      const proto = Object.getOwnPropertyNames(Object.prototype).sort().join();
      await fc.assert(
        fc.asyncProperty(name, value, fc.array(attr, { maxLength: 4 }), async (n, v, attrs) => {
          const jar = new CookieJar();
          const line = `${n}=${v}${attrs.join('')}`;
          try {
            await (jar as any).setCookie(line, 'http://127.0.0.1/a/b', { ignoreError: true });
          } catch (error) {
            ok(false, `setCookie(${JSON.stringify(line)}) threw ${describeThrown(error)}`);
          }
          const all = await jar.all('http://127.0.0.1/a/b');
          for (const c of all) equal(typeof c.name, 'string');
          equal(
            Object.getOwnPropertyNames(Object.prototype).sort().join(),
            proto,
            'Object.prototype changed',
          );
          equal(({} as any).polluted, undefined, 'a plain object inherited a cookie');
          equal(typeof ({} as any).toString, 'function');
          JSON.parse(JSON.stringify(jar));
        }),
        params(PURE_RUNS / 2),
      );
    },
    { skip: { chromium: 'the browser keeps its own jar; the CookieJar there is a stand-in' } },
  );

  test(
    'fuzz: Set-Cookie from the wire through a session: the jar keeps __proto__ and constructor as cookies',
    async ({ server }) => {
      await letPoolSettle();
      const s = createSession({ proxy: false, retry: false });
      try {
        const lines = [
          '__proto__=p1; Path=/',
          'constructor=c1; Path=/',
          'toString=t1; Path=/',
          'ok=1; Path=/',
        ];
        const qs = lines.map((l) => `c=${encodeURIComponent(l)}`).join('&');
        await (await s(`${server.http}/hardening/set-cookie?${qs}`)).text();
        const back = (await (await s(`${server.http}/hardening/set-cookie`)).json()) as {
          cookie: string | null;
        };
        const sent = new Map(
          (back.cookie ?? '').split(/;\s*/).map((c) => c.split('=') as [string, string]),
        );
        equal(sent.get('__proto__'), 'p1');
        equal(sent.get('constructor'), 'c1');
        equal(sent.get('toString'), 't1');
        equal((await s.cookies.get('__proto__', `${server.http}/`))?.value, 'p1');
        equal(({} as any).p1, undefined);
        equal(Object.getPrototypeOf({}), Object.prototype);
      } finally {
        await s.close();
      }
    },
    { skip: { chromium: 'the browser keeps its own jar (a page cannot read it)' } },
  );

  test(
    'fuzz: redirect Location values: only http(s) are followed; anything else is the 3xx itself or a named error',
    async ({ server }) => {
      await letPoolSettle();
      const other = new URL(server.http2);
      const location = fc.oneof(
        fc.constantFrom(
          '/echo',
          'echo',
          '../echo',
          '?x=1',
          '#frag',
          `//${other.host}/echo`,
          `${server.http2}/echo`,
          `HTTP://${other.host}/echo`,
          'javascript:alert(1)',
          'JavaScript:alert(1)',
          ' javascript:alert(1)',
          'data:text/plain,owned',
          'file:///etc/passwd',
          'ftp://127.0.0.1/x',
          'about:blank',
          'blob:http://127.0.0.1/x',
          'http://[bad',
          'http://',
          '',
          ' ',
          `\\\\${other.host}\\echo`,
          `/\\${other.host}/echo`,
          'http://127.0.0.1:0/',
          '/%2e%2e/echo',
        ),
        fc.string({
          unit: fc.constantFrom(
            '/',
            'e',
            'c',
            'h',
            'o',
            ':',
            '%',
            '?',
            '#',
            '.',
            'é',
            ' ',
            'data:',
            'file:',
            'javascript:',
          ),
          maxLength: 6,
        }),
      );
      const s = createSession({ proxy: false, retry: false, timeout: { total: 3_000 } });
      try {
        await fc.assert(
          fc.asyncProperty(
            location,
            fc.constantFrom(301, 302, 303, 307, 308),
            async (to, status) => {
              let outcome: Response | Error;
              try {
                outcome = await s(
                  `${server.http}/hardening/location?status=${status}&to=${encodeURIComponent(to)}`,
                );
              } catch (error) {
                outcome = error as Error;
              }
              if (outcome instanceof Response) {
                await outcome.body?.cancel();
                const finalUrl = outcome.url ? new URL(outcome.url) : undefined;
                if (outcome.status >= 300 && outcome.status < 400) return; // not followed
                ok(finalUrl, 'a followed redirect has a url');
                ok(['http:', 'https:'].includes(finalUrl.protocol), `followed to ${finalUrl.href}`);
              } else {
                // RedirectError for a Location it refuses; the platform's network error otherwise
                // (TypeError; workerd: a plain Error "Network connection lost").
                ok(
                  outcome instanceof Error && outcome.name !== 'AssertionError',
                  `Location ${JSON.stringify(to)}: ${describeThrown(outcome)}`,
                );
              }
              // Whatever happened, no scheme but http(s) was ever fetched: the session would have thrown for it.
              const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(to)?.[1]?.toLowerCase();
              if (scheme && !['http', 'https'].includes(scheme) && outcome instanceof Response) {
                ok(
                  outcome.status >= 300 && outcome.status < 400,
                  `a ${scheme}: Location gave ${outcome.status}`,
                );
              }
            },
          ),
          params(WIRE_RUNS / 2, true),
        );
      } finally {
        await s.close();
      }
    },
    {
      skip: {
        chromium: 'the browser follows redirects itself (and never follows non-http(s) ones)',
      },
      timeout: 30_000,
    },
  );
});
