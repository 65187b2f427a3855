// Async-iterable request bodies (an async generator, a Node `Readable`): Node's, Deno's and
// Bun's fetch send them as they send a ReadableStream, so a retry or an auth replay must
// treat them as one: read up to the replay cap and sent whole again, or sent once and
// not replayed. Never sent again empty. Browsers and workerd have no such bodies (their
// fetch turns an object it does not know into text), so the cases skip there.

import { bearerAuth } from '@fetchstack/auth';
import { wrap } from '@fetchstack/core';
import { retry } from '@fetchstack/retry';
import { createSession } from '@fetchstack/session';
import { deepEqual, equal, group, match, ok, rejects, seen, test, uid } from '@fetchstack/test-kit';

const skip = {
  edge: 'async-iterable request bodies exist only on server runtimes (Node, Deno, Bun)',
};

const quick = { initial: 10, factor: 2, max: 100, jitter: false };

/** An async generator of `parts`, encoded: a body fetch can read only once. */
async function* generatorOf(parts: string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) yield encoder.encode(part);
}

/**
 * A Node `Readable` of `parts`. node:stream is in Node, Deno and Bun; it is reached through
 * process.getBuiltinModule, not an import, which the worker's bundler would refuse.
 */
function readableOf(parts: string[]): Promise<unknown> {
  const { Readable } = (globalThis as any).process.getBuiltinModule(
    'node:stream',
  ) as typeof import('node:stream');
  return Promise.resolve(Readable.from(parts.map((part) => new TextEncoder().encode(part))));
}

/** The bodies the server received for `log`, which must never include an empty one. */
async function bodiesOf(server: Parameters<typeof seen>[0], log: string): Promise<string[]> {
  const bodies = (await seen(server, log)).map((s) => s.body);
  ok(!bodies.includes(''), `no try carried an empty body: ${JSON.stringify(bodies)}`);
  return bodies;
}

group('replay', () => {
  test(
    'async-iterable body (async generator, Node Readable): a PUT that gets a 503 is retried with the whole body',
    async ({ server }) => {
      const f = wrap(fetch, retry({ limit: 1, backoff: quick }));
      const kinds: [string, () => Promise<unknown>][] = [
        ['async generator', async () => generatorOf(['iter', 'able ', 'body'])],
        ['Node Readable', () => readableOf(['iter', 'able ', 'body'])],
      ];
      for (const [kind, make] of kinds) {
        const id = uid('flaky');
        const log = uid('log');
        const res = await f(`${server.http}/flaky?id=${id}&fail=1&log=${log}`, {
          method: 'PUT',
          body: (await make()) as BodyInit,
          duplex: 'half',
        } as RequestInit);
        equal(res.status, 200, kind);
        equal(((await res.json()) as { body: string }).body, 'iterable body', kind);
        deepEqual(await bodiesOf(server, log), ['iterable body', 'iterable body'], kind);
      }
    },
    { skip },
  );

  test(
    'async-iterable body longer than maxBufferSize: sent once, whole, and not retried, as a stream is',
    async ({ server }) => {
      const id = uid('flaky');
      const log = uid('log');
      const f = wrap(
        fetch,
        retry({ limit: 2, maxBufferSize: 10, backoff: quick, throwOnExhausted: true }),
      );
      const error = await rejects(
        f(`${server.http}/flaky?id=${id}&fail=1&log=${log}`, {
          method: 'PUT',
          body: generatorOf(['0123456789', 'abcdefghij', 'tail']) as unknown as BodyInit,
          duplex: 'half',
        } as RequestInit),
        { name: 'RetryError', reason: 'body', attempts: 1 },
      );
      match(error.message, /maxBufferSize \(10 bytes\)/);
      equal(error.response.status, 503);
      deepEqual(await bodiesOf(server, log), ['0123456789abcdefghijtail']);
    },
    { skip },
  );

  test(
    'async-iterable body through a session: a PUT of a Node Readable that gets a 503 is retried with the whole body',
    async ({ server }) => {
      const id = uid('flaky');
      const log = uid('log');
      const session = createSession();
      try {
        const res = await session(`${server.http}/flaky?id=${id}&fail=1&retryAfter=0&log=${log}`, {
          method: 'PUT',
          body: (await readableOf(['file ', 'content'])) as BodyInit,
          duplex: 'half',
        } as RequestInit);
        equal(res.status, 200);
        equal(((await res.json()) as { body: string }).body, 'file content');
        deepEqual(await bodiesOf(server, log), ['file content', 'file content']);
      } finally {
        await session.close();
      }
    },
    { skip },
  );

  test(
    'async-iterable body under bearer refresh: the replay after a 401 carries the whole body',
    async ({ server }) => {
      const kinds: [string, () => Promise<unknown>][] = [
        ['async generator', async () => generatorOf(['streamed ', 'upload'])],
        ['Node Readable', () => readableOf(['streamed ', 'upload'])],
      ];
      for (const [kind, make] of kinds) {
        const id = uid('refresh-iter');
        const calls: string[] = [];
        const f = wrap(
          fetch,
          bearerAuth('expired', {
            refresh: async () =>
              ((await (await fetch(`${server.http}/auth/refresh?id=${id}`)).json()) as any).token,
          }),
          (next) => async (input, init) => {
            const res = await next(input, init);
            calls.push(((await res.clone().json()) as { body: string }).body);
            return res;
          },
        );
        const res = await f(`${server.http}/auth/bearer?id=${id}`, {
          method: 'PUT',
          body: (await make()) as BodyInit,
          duplex: 'half',
        } as RequestInit);
        const json = (await res.json()) as { body: string };
        deepEqual([res.status, json.body], [200, 'streamed upload'], kind);
        deepEqual(calls, ['streamed upload', 'streamed upload'], `${kind}: both tries`);
      }
    },
    { skip },
  );
});
