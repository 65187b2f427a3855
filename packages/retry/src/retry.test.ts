import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRetryError, RetryError } from './index.js';
import { retry } from './retry.js';

test('retry(): bad options throw when it is called, naming the option and what it must be', () => {
  assert.throws(() => retry({ methods: ['FETCH'] }), {
    name: 'TypeError',
    message:
      /^retry\(\): "methods" must be an array of HTTP methods \(GET, HEAD, POST, .*SEARCH\); got the string "FETCH"\.$/,
  });
  assert.throws(() => retry({ statusCodes: 503 as never }), {
    message: /^retry\(\): "statusCodes" must be an array of status codes .*; got number 503\.$/,
  });
  assert.throws(() => retry({ backoff: { jitter: 'yes' as never } }), {
    message: /^retry\(\): "backoff\.jitter" must be true or false; got the string "yes"\.$/,
  });
  assert.throws(() => retry({ retryAfter: { maxi: 1 } as never }), {
    message: /^retry\(\): "retryAfter": unknown option "maxi"\. Did you mean "max"\?/,
  });
  assert.throws(() => retry({ budget: { windowMs: 10 } }), {
    message: /^retry\(\): "budget": "windowMs" must be a number of ms >= 100, got number 10\.$/,
  });
});

test('the first call waits for the per-call code; later calls reach the layer beneath at once', async () => {
  const seen: (RequestInit | undefined)[] = [];
  const f = retry()(async (_input, init) => {
    seen.push(init);
    return new Response('ok');
  });
  const init = { headers: { 'X-A': '1' } };
  assert.equal((await f('https://a.example/', init)).status, 200);
  assert.equal(seen.length, 1);
  const pending = f('https://a.example/', init);
  assert.equal(seen.length, 2, 'the second call went down before its first await');
  assert.equal((await pending).status, 200);
  assert.deepEqual(
    seen.map((s) => s === init),
    [true, true],
    "a first try goes down with the caller's own init (no copy)",
  );
});

test('RetryError: the message names the call (credentials removed), the tries and why', async () => {
  let tries = 0;
  const f = retry({ limit: 1, throwOnExhausted: true, backoff: { initial: 1 } })(async () => {
    tries++;
    return new Response('down', { status: 503 });
  });
  const error = await f('https://user:secret@a.example/x?token=abc').catch((e: unknown) => e);
  assert.ok(error instanceof RetryError && isRetryError(error));
  assert.equal(tries, 2);
  assert.equal(error.code, 'RETRIES_EXHAUSTED');
  assert.equal(error.method, 'GET');
  assert.equal(error.attempts, 2);
  assert.equal(error.reason, 'limit');
  assert.equal(error.response?.status, 503);
  assert.equal(error.cause, error.response);
  assert.match(
    error.message,
    /^GET https:\/\/\S*a\.example\/x\S* failed after 2 attempts \(last: status 503\); the retry limit \(1\) is reached\.$/,
  );
  assert.doesNotMatch(`${error.message} ${error.url}`, /secret|abc/);
});
