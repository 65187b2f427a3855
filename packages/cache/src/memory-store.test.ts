import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryStore } from './memory-store.js';
import { type CacheRecord, decodeRecord, encodeRecord, sizeOf } from './store.js';

const record = (bytes: number): CacheRecord => ({
  responses: [
    {
      url: 'https://example.com/',
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'text/plain']],
      vary: {},
      policy: {},
      body: new Uint8Array(bytes),
    },
  ],
});

describe('MemoryStore', () => {
  test('drops the least recently used past maxEntries', async () => {
    const store = new MemoryStore({ maxEntries: 2 });
    await store.set('a', record(1), { ttl: 1000 });
    await store.set('b', record(1), { ttl: 1000 });
    await store.get('a');
    await store.set('c', record(1), { ttl: 1000 });
    assert.ok(await store.get('a'));
    assert.equal(await store.get('b'), undefined);
    assert.ok(await store.get('c'));
  });

  test('stays within maxBytes over 100,000 distinct URLs, and refuses a record larger than it', async () => {
    const store = new MemoryStore({ maxBytes: 100_000 });
    for (let i = 0; i < 100_000; i++) {
      await store.set(`https://example.com/${i}`, record(1_000), { ttl: 1000 });
      if (i % 10_000 === 0) assert.ok(store.bytes <= 100_000);
    }
    assert.ok(store.bytes <= 100_000);
    assert.ok(store.size < 100);
    assert.ok(store.size > 50);
    await store.set('huge', record(200_000), { ttl: 1000 });
    assert.equal(await store.get('huge'), undefined);
  });

  test('a record past its ttl is gone', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    await store.set('a', record(1), { ttl: 10 });
    now = 11;
    assert.equal(await store.get('a'), undefined);
    assert.equal(store.bytes, 0);
  });

  test('encodeRecord/decodeRecord round-trip the bytes', () => {
    const r = record(3);
    r.responses[0]!.body = new Uint8Array([0, 255, 7]);
    const back = decodeRecord(encodeRecord(r));
    assert.deepEqual([...back.responses[0]!.body], [0, 255, 7]);
    assert.equal(sizeOf(back), sizeOf(r));
  });
});

describe('packRecord', () => {
  test('unpackRecord reads back every response and its bytes', async () => {
    const { packRecord, unpackRecord } = await import('./store.js');
    const r = record(0);
    r.responses.push({
      ...r.responses[0]!,
      url: 'https://example.com/b',
      body: new Uint8Array([1, 2, 3]),
    });
    r.responses[0]!.body = new Uint8Array([9]);
    const back = unpackRecord(packRecord(r));
    assert.equal(back.responses.length, 2);
    assert.deepEqual([...back.responses[0]!.body], [9]);
    assert.deepEqual([...back.responses[1]!.body], [1, 2, 3]);
    assert.equal(back.responses[1]!.url, 'https://example.com/b');
  });
});
