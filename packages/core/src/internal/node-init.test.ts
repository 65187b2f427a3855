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
  ];
  for (const [init, message] of refused) {
    assert.throws(() => checkInitAsNodeFetch(init, where), { name: 'TypeError', message });
  }
});
