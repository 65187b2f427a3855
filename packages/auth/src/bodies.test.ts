import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { wrap } from '@fetchstack/core';
import { bearerAuth } from './index.js';

/** A fetch that records each try's token and body; 401 for the token 'old'. */
function recording(received: string[]) {
  return async (_input: unknown, init?: RequestInit) => {
    const token = new Headers(init?.headers).get('authorization');
    const body = init?.body == null ? '' : await new Response(init.body).text();
    received.push(`${token} ${body}`);
    return new Response(null, { status: token === 'Bearer old' ? 401 : 200 });
  };
}

test('bearer refresh: an async-iterable body (Node Readable, async generator) is replayed whole', async () => {
  const bodies: [string, () => unknown][] = [
    ['Node Readable', () => Readable.from([Buffer.from('PAY'), Buffer.from('LOAD')])],
    [
      'async generator',
      () =>
        (async function* () {
          yield new TextEncoder().encode('PAYLOAD');
        })(),
    ],
  ];
  for (const [kind, make] of bodies) {
    const received: string[] = [];
    const f = wrap(recording(received), bearerAuth('old', { refresh: () => 'new' }));
    const res = await f('https://a.example/u', {
      method: 'PUT',
      body: make() as BodyInit,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 200, kind);
    assert.deepEqual(received, ['Bearer old PAYLOAD', 'Bearer new PAYLOAD'], kind);
  }
});
