import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { directReplay, discard, hasNoBody, isResendable, isStream, plainReplay } from './body.js';
import { prepareReplay } from './replay.js';

const text = (bytes: unknown) => new TextDecoder().decode(bytes as Uint8Array);

/** A stream of `chunks` (strings, encoded), one per pull. */
function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
}

describe('isStream', () => {
  test('true for a ReadableStream (or anything with getReader), false for other bodies', () => {
    assert.equal(isStream(streamOf()), true);
    assert.equal(isStream({ getReader() {} }), true);
    for (const body of ['a', new Uint8Array(1), new Blob(['a']), new URLSearchParams('a=1'), null])
      assert.equal(isStream(body), false);
  });
});

/** An async generator of `chunks` (strings, encoded): a body Node's fetch sends once. */
async function* iterableOf(...chunks: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const chunk of chunks) yield encoder.encode(chunk);
}

describe('isResendable', () => {
  test('true for what fetch extracts afresh on every call', () => {
    for (const body of [
      'text',
      '',
      new Uint8Array(1),
      new DataView(new ArrayBuffer(2)),
      new ArrayBuffer(2),
      new Blob(['a']),
      new File(['a'], 'a.txt'),
      new FormData(),
      new URLSearchParams('a=1'),
    ])
      assert.equal(isResendable(body), true, String(body));
  });

  test('false for a stream, an async iterable (Node Readable, async generator) or an unknown object', async () => {
    const { Readable } = await import('node:stream');
    for (const body of [
      streamOf('a'),
      iterableOf('a'),
      Readable.from([new Uint8Array([1])]),
      { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) },
      { getReader() {} },
      {},
      [1, 2],
    ])
      assert.equal(isResendable(body), false);
  });

  test('an async iterable is one-shot even when it claims a known kind', () => {
    const spoof = { [Symbol.toStringTag]: 'Blob', async *[Symbol.asyncIterator]() {} };
    assert.equal(isResendable(spoof), false);
  });
});

describe('prepareReplay', () => {
  test('bodies fetch can send again pass as they are', async () => {
    for (const body of [
      'text',
      new Uint8Array([1, 2]),
      new Blob(['b']),
      new URLSearchParams('a=1'),
    ]) {
      const init = { method: 'POST', body };
      const replay = await prepareReplay('https://example.com/', init);
      assert.deepEqual(replay.args(), ['https://example.com/', init]);
      assert.equal(replay.notReplayable, undefined);
    }
  });

  test('a stream within the limit is read once into bytes, sent the same way on every try', async () => {
    const init: RequestInit = { method: 'PUT', body: streamOf('ab', 'cd') };
    const replay = await prepareReplay('https://example.com/', init, 10);
    const [input, first] = replay.args();
    const [, second] = replay.args();
    assert.equal(input, 'https://example.com/');
    assert.equal(first?.method, 'PUT');
    assert.equal(text(first?.body), 'abcd');
    assert.equal(second?.body, first?.body);
    assert.equal(replay.notReplayable, undefined);
    assert.notEqual(first, init, 'the caller’s init is not changed');
  });

  test('a stream longer than the limit is sent once, whole, and said not to be replayable', async () => {
    const replay = await prepareReplay(
      'https://example.com/',
      { method: 'POST', body: streamOf('abc', 'def', 'ghi') },
      4,
    );
    assert.match(replay.notReplayable ?? '', /longer than the replay limit \(4 bytes\)/);
    const [, init] = replay.args();
    assert.equal((init as { duplex?: string }).duplex, 'half');
    assert.equal(await new Response(init?.body).text(), 'abcdefghi', 'no byte lost or repeated');
  });

  test('a Request’s body is read once; each try sends its URL, method and headers with the bytes', async () => {
    const request = new Request('https://example.com/upload', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'payload',
    });
    const replay = await prepareReplay(request, undefined);
    const [input, init] = replay.args();
    assert.equal(input, 'https://example.com/upload');
    assert.equal(init?.method, 'POST');
    assert.equal(new Headers(init?.headers).get('content-type'), 'text/plain');
    assert.equal(text(init?.body), 'payload');
  });

  test('a Request’s body longer than the limit: the Request itself is sent once, its body unread', async () => {
    // So that fetch sends it as it would: with its Content-Length, not chunked (a browser
    // sends a stream upload only over HTTP/2).
    const request = new Request('https://example.com/upload', {
      method: 'PUT',
      headers: { 'x-mine': '1' },
      body: new Uint8Array(64).fill(97),
    });
    const replay = await prepareReplay(request, undefined, 16);
    assert.match(replay.notReplayable ?? '', /longer than the replay limit \(16 bytes\)/);
    const [input, init] = replay.args();
    assert.equal(input, request);
    assert.equal(init, undefined);
    assert.equal(request.bodyUsed, false);
    assert.equal(await request.text(), 'a'.repeat(64), 'no byte lost or repeated');
  });

  test('an async generator is read once into bytes, sent the same way on every try', async () => {
    const init = {
      method: 'PUT',
      body: iterableOf('it', 'er'),
      duplex: 'half',
    } as unknown as RequestInit;
    const replay = await prepareReplay('https://example.com/', init, 10);
    const [, first] = replay.args();
    const [, second] = replay.args();
    assert.equal(text(first?.body), 'iter');
    assert.equal(second?.body, first?.body);
    assert.equal(replay.notReplayable, undefined);
    assert.equal(first?.headers, undefined, 'no Content-Type of its own: fetch adds none');
  });

  test('a Node Readable is read once into bytes', async () => {
    const { Readable } = await import('node:stream');
    const body = Readable.from([Buffer.from('node '), Buffer.from('readable')]);
    const replay = await prepareReplay('https://example.com/', {
      method: 'PUT',
      body: body as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    assert.equal(text(replay.args()[1]?.body), 'node readable');
    assert.equal(replay.notReplayable, undefined);
  });

  test('an async iterable longer than the limit is sent once, whole, and said not to be replayable', async () => {
    const replay = await prepareReplay(
      'https://example.com/',
      {
        method: 'PUT',
        body: iterableOf('abc', 'def', 'ghi'),
        duplex: 'half',
      } as unknown as RequestInit,
      4,
    );
    assert.match(replay.notReplayable ?? '', /longer than the replay limit \(4 bytes\)/);
    const [, init] = replay.args();
    assert.equal((init as { duplex?: string }).duplex, 'half');
    assert.equal(await new Response(init?.body).text(), 'abcdefghi', 'no byte lost or repeated');
  });

  test('an object of another kind is read as fetch sends it, with the Content-Type fetch adds', async () => {
    const body = { toString: () => 'as text' } as unknown as BodyInit;
    const replay = await prepareReplay('https://example.com/', { method: 'POST', body });
    const [, init] = replay.args();
    assert.equal(text(init?.body), 'as text');
    assert.equal(new Headers(init?.headers).get('content-type'), 'text/plain;charset=UTF-8');
    const own = await prepareReplay('https://example.com/', {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/x-mine', 'x-other': '1' },
    });
    const ownInit = own.args()[1];
    assert.deepEqual(ownInit?.headers, { 'content-type': 'text/x-mine', 'x-other': '1' });
    assert.equal(text(ownInit?.body), 'as text');
  });

  test('an aborted signal stops the read of an async iterable with its reason', async () => {
    const reason = new Error('stop');
    const controller = new AbortController();
    async function* endless() {
      yield new TextEncoder().encode('a');
      controller.abort(reason);
      await new Promise(() => {});
    }
    await assert.rejects(
      prepareReplay('https://example.com/', { body: endless() as never }, 10, controller.signal),
      (e) => e === reason,
    );
  });

  test('an aborted signal stops the read with its reason', async () => {
    const reason = new Error('stop');
    await assert.rejects(
      prepareReplay('https://example.com/', { body: streamOf('a') }, 10, AbortSignal.abort(reason)),
      (e) => e === reason,
    );
  });
});

describe('hasNoBody and plainReplay', () => {
  test('no body at all: the call as it is; a body to look at: false', () => {
    assert.equal(hasNoBody('https://example.com/', undefined), true);
    assert.deepEqual(plainReplay('https://example.com/', undefined).args(), [
      'https://example.com/',
      undefined,
    ]);
    assert.equal(hasNoBody('https://example.com/', { body: 'x' }), false);
    assert.equal(hasNoBody('https://example.com/', { body: null }), true);
    const withBody = new Request('https://example.com/', { method: 'POST', body: 'x' });
    assert.equal(hasNoBody(withBody, undefined), false);
    assert.equal(hasNoBody(withBody, { body: null }), true, 'init.body replaces the Request’s');
    assert.equal(hasNoBody(new Request('https://example.com/'), undefined), true);
  });
});

describe('directReplay', () => {
  test('the call as it is unless a stream must be read first', () => {
    const url = 'https://example.com/';
    for (const init of [undefined, { body: 'x' }, { body: new Uint8Array([1]) }, { body: null }]) {
      const replay = directReplay(url, init);
      assert.ok(replay);
      assert.deepEqual(replay.args(), [url, init]);
    }
    assert.equal(
      directReplay(url, { body: streamOf('a'), duplex: 'half' } as RequestInit),
      undefined,
    );
    assert.equal(
      directReplay(url, { body: iterableOf('a'), duplex: 'half' } as unknown as RequestInit),
      undefined,
      'an async iterable is read first, as a stream is',
    );
    const withBody = new Request(url, { method: 'POST', body: 'x' });
    assert.equal(directReplay(withBody, undefined), undefined, 'a Request’s body is a stream');
    assert.ok(directReplay(withBody, { body: 'y' }), 'init.body replaces the Request’s');
    assert.ok(directReplay(new Request(url), undefined), 'a Request without a body');
  });
});

describe('discard', () => {
  test('cancels an unread body, and never throws on one already read or missing', async () => {
    let cancelled = false;
    const response = new Response(
      new ReadableStream({
        cancel() {
          cancelled = true;
        },
      }),
    );
    discard(response);
    await Promise.resolve();
    assert.equal(cancelled, true);
    const read = new Response('x');
    await read.text();
    discard(read);
    discard(undefined);
    discard(new Response(null));
  });
});
