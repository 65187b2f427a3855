import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { retry } from './retry.js';

/** A fetch that reads each try's body as fetch would send it: 503 to the first, 200 after. */
function flaky(received: string[]) {
  return async (_input: unknown, init?: RequestInit) => {
    received.push(init?.body == null ? '' : await new Response(init.body).text());
    return new Response(null, { status: received.length === 1 ? 503 : 200 });
  };
}

const encode = (text: string) => new TextEncoder().encode(text);

test('an async-iterable body (async generator, Node Readable) is replayed whole after a 503', async () => {
  const bodies: [string, () => unknown][] = [
    [
      'async generator',
      () =>
        (async function* () {
          yield encode('GEN-');
          yield encode('BODY');
        })(),
    ],
    ['Node Readable', () => Readable.from([Buffer.from('GEN-'), Buffer.from('BODY')])],
  ];
  for (const [kind, make] of bodies) {
    const received: string[] = [];
    const f = retry({ limit: 1, backoff: { initial: 1, jitter: false } })(flaky(received));
    const res = await f('https://a.example/upload', {
      method: 'PUT',
      body: make() as BodyInit,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 200, kind);
    assert.deepEqual(received, ['GEN-BODY', 'GEN-BODY'], `${kind}: each try carried the body`);
  }
});

test('an async-iterable body longer than maxBufferSize is sent once, whole, and not retried', async () => {
  const received: string[] = [];
  const f = retry({ limit: 2, maxBufferSize: 4, backoff: { initial: 1 }, throwOnExhausted: true })(
    flaky(received),
  );
  const error = await f('https://a.example/upload', {
    method: 'PUT',
    body: Readable.from([Buffer.from('0123'), Buffer.from('4567'), Buffer.from('89')]),
    duplex: 'half',
  } as unknown as RequestInit).catch((e: unknown) => e);
  assert.deepEqual(received, ['0123456789'], 'one try, nothing lost, nothing repeated');
  assert.equal((error as { reason?: string }).reason, 'body');
  assert.match((error as Error).message, /maxBufferSize \(4 bytes\)/);
});
