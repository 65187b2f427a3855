// Fuzzed input for @fetchstack/headers: its options, header names, and values built
// to inject a second header (CR/LF). Injection must be refused (by headers() when the
// layer is made, or by the platform when the request is built) and never reach the wire.
import { wrap } from '@fetchstack/core';
import { headers } from '@fetchstack/headers';
import { equal, group, ok, seen, test, uid } from '@fetchstack/test-kit';
import fc from 'fast-check';
import { describeThrown, letPoolSettle, PURE_RUNS, params, WIRE_RUNS } from './util.js';

/** Pieces a hostile header value is made of: plain text, whitespace, CR/LF/NUL, an injected line, non-Latin-1. */
const valuePiece = fc.constantFrom(
  'a',
  'Z',
  '0',
  ' ',
  '\t',
  '\r',
  '\n',
  '\0',
  ':',
  ';',
  '\r\nX-Injected: yes',
  '\nX-Injected: yes',
  '\rX-Injected: yes',
  '\r\n\r\nGET /smuggled HTTP/1.1',
  'é',
  'Ā',
  '😀',
);
const hostileValue = fc.string({ unit: valuePiece, maxLength: 8 });

/** Pieces of a header name: token characters and the ones that break a name. */
const namePiece = fc.constantFrom('a', 'X', '-', '_', '!', ' ', ':', '\r\n', '\0', '(', 'é', '/');
const hostileName = fc
  .string({ unit: namePiece, minLength: 1, maxLength: 6 })
  .map((s) => `x-fz-${s}`);

/** The wire properties use ASCII pieces only: non-Latin-1 is the platform's business (workerd accepts it in Headers, then fails the request). */
const wireValue = fc.string({
  unit: valuePiece.filter((p) => /^[\0-\x7f]*$/.test(p)),
  maxLength: 8,
});

/**
 * What this runtime's own `Headers` makes of a value: the value it would send, or
 * `null` when it refuses it. headers() must agree with it exactly; and whatever a
 * platform accepts must hold no CR, LF or NUL (Deno 2.9 turns "\na\rX: y" into "" instead
 * of refusing it: odd, but nothing is injected).
 */
function platformValue(value: string): string | null {
  try {
    return new Headers([['x-fz', value]]).get('x-fz');
  } catch {
    return null;
  }
}
function platformAcceptsName(name: string): boolean {
  try {
    new Headers([[name, 'v']]);
    return true;
  } catch {
    return false;
  }
}
const clean = (v: string | null | undefined) => v == null || !/[\r\n\0]/.test(v);

interface Echo {
  headers: Record<string, string>;
}

group('hardening', () => {
  test('fuzz: headers(defaults) either makes a layer or throws a TypeError, never anything else', () => {
    const defaults = fc.oneof(
      fc.anything({ maxDepth: 1, withNullPrototype: true, withBoxedValues: true, withMap: true }),
      fc.dictionary(hostileName, hostileValue, { maxKeys: 3 }),
      fc.array(fc.tuple(hostileName, hostileValue), { maxLength: 3 }),
      fc.array(fc.array(fc.string(), { maxLength: 3 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(defaults, (d) => {
        let platformAccepts = true;
        try {
          new Headers(d as HeadersInit);
        } catch {
          platformAccepts = false;
        }
        try {
          const layer = headers(d as any);
          equal(typeof layer, 'function');
          // A function is read per request; an object the platform refuses must be refused now.
          ok(
            platformAccepts || typeof d === 'function',
            'headers() accepted defaults the platform refuses',
          );
        } catch (error) {
          ok(error instanceof TypeError, `not a TypeError: ${describeThrown(error)}`);
          ok(
            // headers() requires defaults (undefined is refused though `new Headers(undefined)` is fine).
            !platformAccepts || d === null || typeof d !== 'object',
            `refused good defaults: ${describeThrown(error)}`,
          );
        }
      }),
      params(PURE_RUNS),
    );
  });

  test('fuzz: a header value or name refused by headers() is exactly one the platform refuses', () => {
    fc.assert(
      fc.property(hostileName, hostileValue, (name, value) => {
        const platform = platformValue(value);
        ok(
          clean(platform),
          `the platform accepts ${JSON.stringify(value)} as ${JSON.stringify(platform)}`,
        );
        // A value the platform refuses and the model allows is a platform quirk; what matters is agreement.
        const valid = platformAcceptsName(name) && platform !== null;
        try {
          headers({ [name]: value });
          ok(valid, `headers() accepted ${JSON.stringify([name, value])}`);
        } catch (error) {
          ok(error instanceof TypeError, describeThrown(error));
          ok(!valid, `headers() refused a valid header ${JSON.stringify([name, value])}`);
        }
      }),
      params(PURE_RUNS),
    );
  });

  test('fuzz: CR/LF in a default header value never reaches the wire', async ({ server }) => {
    await letPoolSettle();
    await fc.assert(
      fc.asyncProperty(wireValue, async (value) => {
        const platform = platformValue(value);
        let layer: ReturnType<typeof headers>;
        try {
          layer = headers({ 'X-Fz': value });
        } catch (error) {
          ok(error instanceof TypeError, describeThrown(error));
          equal(platform, null, `refused a value the platform accepts: ${JSON.stringify(value)}`);
          return;
        }
        ok(platform !== null, `accepted ${JSON.stringify(value)}`);
        const echo = (await (await wrap(fetch, layer)(`${server.http}/echo`)).json()) as Echo;
        equal(echo.headers['x-injected'], undefined, 'a header was injected');
        equal(echo.headers['x-fz'], platform, 'the value on the wire');
        ok(clean(echo.headers['x-fz']), 'CR/LF/NUL on the wire');
      }),
      params(WIRE_RUNS, true),
    );
  });

  test('fuzz: CR/LF in a header set by the call, through the layer, is refused or sent clean', async ({
    server,
  }) => {
    const f = wrap(fetch, headers({ 'X-Default': 'd' }));
    const form = fc.constantFrom('record', 'pairs', 'request');
    await letPoolSettle();
    await fc.assert(
      fc.asyncProperty(wireValue, form, async (value, how) => {
        const platform = platformValue(value);
        const id = uid('hfz');
        const url = `${server.http}/echo?log=${id}`;
        let pending: Promise<Response>;
        try {
          // Building the Request (or Headers) is where the platform refuses; keep that inside.
          pending =
            how === 'request'
              ? f(new Request(url, { headers: { 'X-Fz': value } }))
              : f(url, { headers: how === 'pairs' ? [['X-Fz', value]] : { 'X-Fz': value } });
          const echo = (await (await pending).json()) as Echo;
          ok(platform !== null, `sent a value the platform refuses: ${JSON.stringify(value)}`);
          equal(echo.headers['x-injected'], undefined, 'a header was injected');
          equal(echo.headers['x-default'], 'd');
          equal(echo.headers['x-fz'], platform, 'the value on the wire');
          ok(clean(echo.headers['x-fz']), 'CR/LF/NUL on the wire');
        } catch (error) {
          if ((error as Error)?.name === 'AssertionError') throw error;
          ok(error instanceof TypeError, describeThrown(error));
          equal(platform, null, `a value the platform accepts failed: ${describeThrown(error)}`);
          equal((await seen(server, id)).length, 0, 'a refused request still reached the server');
        }
      }),
      params(WIRE_RUNS, true),
    );
  });

  test('fuzz: a live Headers object refuses CR/LF at set(), so the next request stays clean', async ({
    server,
  }) => {
    const live = new Headers({ 'X-Live': 'start' });
    const f = wrap(fetch, headers(live));
    await letPoolSettle();
    await fc.assert(
      fc.asyncProperty(wireValue, async (value) => {
        let accepted = true;
        try {
          live.set('X-Live', value);
        } catch (error) {
          accepted = false;
          ok(error instanceof TypeError, describeThrown(error));
        }
        equal(accepted, platformValue(value) !== null, `Headers.set(${JSON.stringify(value)})`);
        const echo = (await (await f(`${server.http}/echo`)).json()) as Echo;
        equal(echo.headers['x-injected'], undefined, 'a header was injected');
        const got = echo.headers['x-live'] ?? '';
        ok(!/[\r\n\0]/.test(got), `x-live on the wire: ${JSON.stringify(got)}`);
      }),
      params(WIRE_RUNS, true),
    );
  });
});
