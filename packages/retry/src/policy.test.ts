import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNetworkError } from './network.js';
import { normalize } from './options.js';
import { backoffDelay, exhaustedNetworkError, isAttemptTimeout, waitBefore } from './policy.js';
import { parseRetryAfter } from './retry-after.js';
import { methodAllowed, retryableResponse } from './retryable.js';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);

test('parseRetryAfter: whole seconds, and an HTTP-date in the future', () => {
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter(new Date(now + 5000).toUTCString(), now), 5000);
});

test('parseRetryAfter: every HTTP-date form is GMT, whatever the local time zone', () => {
  const tz = process.env.TZ;
  try {
    for (const zone of ['America/New_York', 'Asia/Tokyo', 'UTC']) {
      process.env.TZ = zone;
      // IMF-fixdate, RFC 850 and asctime (which names no zone), all 5 s after `now`.
      for (const date of [
        'Thu, 01 Jan 2026 12:00:05 GMT',
        'Thursday, 01-Jan-26 12:00:05 GMT',
        'Thu Jan  1 12:00:05 2026',
      ]) {
        assert.equal(parseRetryAfter(date, now), 5000, `${zone}: ${date}`);
      }
    }
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

test('parseRetryAfter: garbage, negative, fractional and past dates give undefined (backoff applies)', () => {
  for (const value of [null, '', 'soon', '-5', '1.5', '1e3', new Date(now - 1000).toUTCString()]) {
    assert.equal(parseRetryAfter(value, now), undefined, JSON.stringify(value));
  }
  assert.equal(parseRetryAfter(new Date(now).toUTCString(), now), undefined, 'now is not later');
});

test('methodAllowed: idempotent methods by default, any case; POST only when listed; limit 0 never', () => {
  const policy = normalize({});
  for (const m of ['GET', 'get', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'])
    assert.ok(methodAllowed(policy, m), m);
  for (const m of ['POST', 'PATCH']) assert.ok(!methodAllowed(policy, m), m);
  assert.ok(methodAllowed(normalize({ methods: ['post'] }), 'POST'));
  assert.ok(!methodAllowed(normalize({ limit: 0 }), 'GET'));
});

test('retryableResponse: listed statuses; 413/429/503 with Retry-After even when not listed', () => {
  const policy = normalize({ statusCodes: [500] });
  const res = (status: number, headers: HeadersInit = {}) =>
    new Response(null, { status, headers });
  assert.ok(retryableResponse(policy, res(500)));
  assert.ok(!retryableResponse(policy, res(503)));
  assert.ok(retryableResponse(policy, res(503, { 'retry-after': '1' })));
  assert.ok(retryableResponse(policy, res(429, { 'retry-after': '1' })));
  assert.ok(!retryableResponse(policy, res(404, { 'retry-after': '1' })));
  const deaf = normalize({ statusCodes: [500], retryAfter: { respect: false } });
  assert.ok(!retryableResponse(deaf, res(503, { 'retry-after': '1' })));
});

test('isAttemptTimeout: a per-try TimeoutError, never the total or read one', () => {
  assert.ok(isAttemptTimeout({ name: 'TimeoutError', limit: 'attempt' }));
  assert.ok(!isAttemptTimeout({ name: 'TimeoutError', limit: 'total' }));
  assert.ok(!isAttemptTimeout({ name: 'TimeoutError', limit: 'read' }));
  assert.ok(!isAttemptTimeout(new TypeError('fetch failed')));
  assert.ok(!isAttemptTimeout(null));
});

test('backoffDelay: initial × factor^(n-1), capped by max (no jitter)', () => {
  const policy = normalize({ backoff: { initial: 100, factor: 3, max: 1000, jitter: false } });
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(policy, n)),
    [100, 300, 900, 1000],
  );
});

test('backoffDelay: with jitter, between half and all of the wait, every time', () => {
  const policy = normalize({ backoff: { initial: 400, factor: 2, max: 10_000 } });
  for (let i = 0; i < 500; i++) {
    const retry = 1 + (i % 4);
    const base = 400 * 2 ** (retry - 1);
    const ms = backoffDelay(policy, retry);
    assert.ok(ms >= base / 2 && ms <= base, `${ms} for retry ${retry}`);
  }
});

test('waitBefore: Retry-After replaces the backoff; above retryAfter.max it gives up; 0 keeps the backoff', () => {
  const policy = normalize({
    backoff: { initial: 50, jitter: false },
    retryAfter: { max: 5000 },
  });
  const res = (value: string) =>
    new Response(null, { status: 503, headers: { 'retry-after': value } });
  assert.deepEqual(waitBefore(policy, 1, res('2')), { ms: 2000 });
  assert.deepEqual(waitBefore(policy, 2, res('0')), { ms: 100 });
  assert.deepEqual(waitBefore(policy, 1, res('garbage')), { ms: 50 });
  const far = waitBefore(policy, 1, res('60'));
  assert.equal(far.ms, 60_000);
  assert.match(far.giveUp ?? '', /more than retryAfter\.max \(5000 ms\)/);
  assert.deepEqual(waitBefore(policy, 1, undefined), { ms: 50 });
});

const refused = () =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
  });

test('isNetworkError: fetch failed with a cause, Failed to fetch; never a bad request', () => {
  assert.ok(isNetworkError(refused()));
  assert.ok(isNetworkError(new TypeError('Failed to fetch')));
  assert.ok(!isNetworkError(new TypeError("Headers.append: 'a\\n' is an invalid header value.")));
  assert.ok(!isNetworkError(new Error('fetch failed')));
  assert.ok(!isNetworkError(null));
});

test('isNetworkError: a URL fetch refuses (bad port, other scheme) and redirect: error are never network errors', () => {
  assert.ok(isNetworkError(refused(), 'http://127.0.0.1:2/'));
  for (const url of ['http://127.0.0.1:25/', 'https://example.test:6000/x', 'ftp://127.0.0.1/']) {
    assert.ok(!isNetworkError(refused(), url), url);
    assert.ok(!isNetworkError(new TypeError('Failed to fetch'), new URL(url)), url);
  }
  // The same message counts as a network failure; only the RedirectError cause makes it not one.
  assert.ok(isNetworkError(new TypeError('fetch failed'), 'http://a.test/'));
  const redirected = new TypeError('fetch failed', {
    cause: Object.assign(new Error('x'), { name: 'RedirectError', code: 'UNEXPECTED_REDIRECT' }),
  });
  assert.ok(!isNetworkError(redirected, 'http://a.test/'));
});

test("isNetworkError: Node's own refusal of a bad port is not one, without the URL too", async () => {
  // Node's fetch refuses the port before connecting: TypeError('fetch failed'), cause 'bad port'.
  const error = await fetch('http://127.0.0.1:25/').catch((e: unknown) => e);
  assert.ok(error instanceof TypeError);
  assert.equal(isNetworkError(error), false);
  assert.equal(isNetworkError(error, 'http://127.0.0.1:25/'), false);
});

test('exhaustedNetworkError: the last error itself, with attempts, when the limit, the body or the total timeout ended a network failure', () => {
  const error = refused();
  assert.equal(exhaustedNetworkError(error, 'http://127.0.0.1:2/', 3, 'limit'), error);
  assert.equal((error as TypeError & { attempts?: number }).attempts, 3);
  assert.equal(
    exhaustedNetworkError(refused(), 'http://127.0.0.1:2/', 1, 'body') instanceof TypeError,
    true,
  );
  // The wait before the next try would outlast the total timeout: what the last try gave.
  const late = refused();
  assert.equal(exhaustedNetworkError(late, 'http://127.0.0.1:2/', 1, 'timeout'), late);
  assert.equal((late as TypeError & { attempts?: number }).attempts, 1);
  assert.equal(exhaustedNetworkError(refused(), 'http://127.0.0.1:2/', 2, 'budget'), undefined);
  const timeout = Object.assign(new Error('t'), { name: 'TimeoutError', limit: 'attempt' });
  assert.equal(exhaustedNetworkError(timeout, 'http://127.0.0.1:2/', 3, 'limit'), undefined);
  const frozen = Object.freeze(refused());
  assert.equal(exhaustedNetworkError(frozen, 'http://127.0.0.1:2/', 3, 'limit'), frozen);
});

test('isNetworkError: an integrity mismatch is not one (the same bytes would come back)', () => {
  const mismatch = (cause: Error) => new TypeError('fetch failed', { cause });
  // Node's fetch
  assert.ok(!isNetworkError(mismatch(new Error('integrity mismatch')), 'http://a.test/'));
  // the Node transport
  const coded = Object.assign(new Error('integrity mismatch'), {
    code: 'FETCHSTACK_INTEGRITY_MISMATCH',
  });
  assert.ok(!isNetworkError(mismatch(coded), 'http://a.test/'));
  // Nor a redirect out of the origin of a mode: 'same-origin' call.
  const mode = new Error('request mode cannot be "same-origin"');
  assert.ok(!isNetworkError(mismatch(mode), 'http://a.test/'));
});
