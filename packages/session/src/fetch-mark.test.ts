// A session marks each call it hands to a fetch of yours (the `fetch` option), so that the same
// call coming back into the session from there (your fetch calling `globalThis.fetch` after
// `globalThis.fetch = session`, or the session itself) goes on to the global fetch there was
// when the session was made, instead of round the session again.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createSession, type Session } from './index.js';

const original = globalThis.fetch;
let reached: string[] = [];
beforeEach(() => {
  reached = [];
  globalThis.fetch = (async () => {
    reached.push('global');
    return new Response('global');
  }) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = original;
});

/** A session over a fetch of yours that sends the call back into the session once, as `resend` makes it. */
function comingBack(resend: (init: RequestInit | undefined) => RequestInit | undefined): Session {
  let depth = 0;
  const session: Session = createSession({
    proxy: false,
    fetch: async (input, init) => {
      reached.push('yours');
      if (depth++ > 0) return new Response('yours again');
      assert.ok(init?.signal instanceof AbortSignal, 'the total timeout reaches your fetch');
      return session(input, resend(init));
    },
  });
  return session;
}

test('a call your fetch sends back into the session goes to the global fetch', async () => {
  const session = comingBack((init) => init);
  assert.equal(await (await session('https://example.test/a')).text(), 'global');
  assert.deepEqual(reached, ['yours', 'global']);
});

test('so does one your fetch copies first (a spread keeps the mark)', async () => {
  const session = comingBack((init) => ({ ...init, method: 'GET' }));
  const init = { headers: { 'x-own': '1' } };
  assert.equal(await (await session('https://example.test/b', init)).text(), 'global');
  assert.deepEqual(reached, ['yours', 'global']);
  assert.deepEqual(Object.getOwnPropertySymbols(init), [], "the caller's init is not marked");
});

test('a call from your auth middleware goes to your fetch, and from there to the global fetch', async () => {
  let session: Session | undefined;
  let depth = 0;
  session = createSession({
    proxy: false,
    auth: (next) => (input, init) => {
      reached.push('auth');
      return depth++ === 0 ? session!(input, init) : next(input, init);
    },
    fetch: async (input, init) => {
      reached.push('yours');
      return reached.length < 5 ? session!(input, init) : new Response('yours');
    },
  });
  assert.equal(await (await session('https://example.test/c')).text(), 'global');
  assert.deepEqual(reached, ['auth', 'yours', 'global']);
});
