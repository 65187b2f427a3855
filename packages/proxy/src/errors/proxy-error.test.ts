import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProxyError } from './proxy-error.js';

/** Every string along an error's `cause` chain (own properties: message, stack, Bun's `path`). */
function texts(error: unknown): string {
  const out: string[] = [];
  for (let e = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    for (const key of Object.getOwnPropertyNames(e)) {
      const value = (e as Record<string, unknown>)[key];
      if (typeof value === 'string') out.push(value);
    }
  }
  return out.join('\n');
}

test("ProxyError: the runtime's error in `cause` keeps no secret of the request's URL or the proxy's", () => {
  const target = 'http://127.0.0.1:8080/x?access_token=s3cret&page=2';
  const proxy = new URL('http://user:pa55word@127.0.0.1:2');
  // What Bun rejects with when the proxy is down (the request's URL as `path`), and Deno's
  // message, which quotes the URL, one level further down.
  const deno = new Error(`error sending request for url (${target}): client error (Connect)`);
  const bun = Object.assign(
    new TypeError('Unable to connect. Is the computer able to access the url?'),
    {
      code: 'ECONNREFUSED',
      path: target,
      proxy: proxy.href,
      cause: deno,
    },
  );
  const error = new ProxyError(0, proxy, target, undefined, '', {
    cause: bun,
    unreachable: 'ECONNREFUSED',
  });
  assert.equal(error.cause, bun);
  const all = texts(error);
  assert.doesNotMatch(all, /s3cret|pa55word/);
  assert.equal(bun.path, 'http://127.0.0.1:8080/x?access_token=***&page=2');
  assert.match(deno.message, /access_token=\*\*\*&page=2\): client error/);
  assert.equal(bun.proxy, 'http://***:***@127.0.0.1:2/');
});
