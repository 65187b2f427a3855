import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInitAsNodeFetch } from './node-init.js';

const where = 'fetch(input, init)';
const stream = () => new ReadableStream<Uint8Array>();

test("what Node's fetch takes in init passes", () => {
  for (const init of [
    {},
    { mode: 'same-origin', cache: 'only-if-cached' },
    { method: 'POST', body: stream(), duplex: 'half' },
    { method: 'POST', body: 'text' },
    { referrerPolicy: '', credentials: 'omit', window: null },
    { signal: null },
    { signal: new AbortController().signal },
  ] as RequestInit[]) {
    checkInitAsNodeFetch(init, where);
  }
});

test("what Node's fetch refuses in init is a TypeError naming the key, in the caller's words", () => {
  const refused: [RequestInit, RegExp][] = [
    [{ mode: 'navigate' }, /^fetch\(input, init\): init\.mode must be one of 'cors'/],
    [{ credentials: 'bogus' as RequestCredentials }, /init\.credentials/],
    [{ cache: 'bogus' as RequestCache }, /init\.cache must be one of/],
    [{ referrerPolicy: 'bogus' as ReferrerPolicy }, /init\.referrerPolicy/],
    [{ duplex: 'full' } as RequestInit, /init\.duplex must be one of 'half'/],
    [{ window: {} } as unknown as RequestInit, /init\.window must be null/],
    [{ cache: 'only-if-cached' }, /'only-if-cached' needs mode: 'same-origin'/],
    [{ method: 'POST', body: stream() }, /a stream body needs duplex: 'half'/],
    [{ signal: {} } as unknown as RequestInit, /init\.signal must be an AbortSignal/],
  ];
  for (const [init, message] of refused) {
    assert.throws(() => checkInitAsNodeFetch(init, where), { name: 'TypeError', message });
  }
});

test("a stream body on a keepalive request (the call's or its Request's) is refused with Node's own error", async () => {
  const sent = { method: 'PUT', body: stream(), duplex: 'half', keepalive: true } as RequestInit;
  assert.throws(() => checkInitAsNodeFetch(sent, where), {
    name: 'TypeError',
    message: 'keepalive',
  });
  // Node's fetch agrees (it refuses before connecting).
  await assert.rejects(fetch('http://127.0.0.1:9/', sent), {
    name: 'TypeError',
    message: 'keepalive',
  });
  const fromRequest = { body: stream(), duplex: 'half' } as RequestInit;
  assert.throws(() => checkInitAsNodeFetch(fromRequest, where, true), { message: 'keepalive' });
  checkInitAsNodeFetch(fromRequest, where, false);
  checkInitAsNodeFetch({ method: 'PUT', body: 'text', keepalive: true }, where);
});
