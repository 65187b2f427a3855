import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryBudget } from './budget.js';
import { normalize } from './options.js';
import { callSite, policies } from './override.js';

test('normalize: the defaults of the contract', () => {
  const policy = normalize(undefined);
  assert.equal(policy.limit, 2);
  assert.deepEqual([...policy.methods], ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);
  assert.deepEqual([...policy.statusCodes], [408, 429, 500, 502, 503, 504]);
  assert.deepEqual(policy.backoff, { initial: 500, factor: 2, max: 30_000, jitter: true });
  assert.deepEqual(policy.retryAfter, { respect: true, max: 60_000 });
  assert.equal(policy.networkErrors, true);
  assert.equal(policy.throwOnExhausted, false);
  assert.equal(policy.budget, undefined);
  assert.equal(policy.maxBufferSize, 4 * 1024 * 1024);
  assert.equal(normalize(5).limit, 5);
  // backoff.max follows a larger initial when left out.
  assert.equal(normalize({ backoff: { initial: 60_000 } }).backoff.max, 60_000);
});

test('normalize: a bad value names the option, for the factory and for one call', () => {
  assert.throws(() => normalize({ limit: -1 }), {
    name: 'TypeError',
    message: /^retry\(\): "limit" must be an integer >= 0/,
  });
  assert.throws(() => normalize({ limit: -1 }, callSite), {
    message: /^fetch\(input, init\): "fetchstack\.retry\.limit" must be an integer >= 0/,
  });
  assert.throws(() => normalize({ backoff: { max: 1 } }, callSite), {
    message: /"fetchstack\.retry\.backoff\.max" must be a number of ms >= 500/,
  });
  assert.throws(() => normalize({ budget: { ratio: -1 } }, callSite), {
    message: /"fetchstack\.retry\.budget".*"ratio"/,
  });
  assert.throws(() => normalize({ retires: 1 } as never, callSite), {
    message:
      /"fetchstack\.retry": unknown option "retires"\. Did you mean "retry"\?|unknown option "retires"/,
  });
});

test('normalize: a wait longer than a timer can hold is refused, not turned into no wait', () => {
  // setTimeout fires at once past 2^31-1 ms: a Retry-After of 30 days under retryAfter.max of
  // 40 days, or such a backoff, would retry at once instead of waiting.
  const longest = 2 ** 31 - 1;
  for (const options of [
    { retryAfter: { max: longest + 1 } },
    { retryAfter: { max: Number.MAX_SAFE_INTEGER } },
    { backoff: { initial: 3_000_000_000 } },
    { backoff: { max: longest + 1 } },
  ]) {
    assert.throws(() => normalize(options), {
      name: 'TypeError',
      message:
        /^retry\(\): "(retryAfter\.max|backoff\.initial|backoff\.max)" must be at most 2147483647 ms; got number \d+\.$/,
    });
  }
  assert.throws(() => normalize({ retryAfter: { max: longest + 1 } }, callSite), {
    message: /^fetch\(input, init\): "fetchstack\.retry\.retryAfter\.max" must be at most/,
  });
  assert.equal(normalize({ retryAfter: { max: longest } }).retryAfter.max, longest);
  assert.equal(normalize({ backoff: { initial: longest } }).backoff.max, longest);
});

test('per call: false is off, true the layer’s own, a number or options merged over it', () => {
  const budget = new RetryBudget();
  const base = { limit: 4, statusCodes: [503], budget };
  const own = normalize(base);
  const policyOf = policies(normalize, base, own);
  const call = (retry: unknown) => policyOf({ fetchstack: { retry } } as RequestInit);
  assert.equal(policyOf(undefined), own);
  assert.equal(policyOf({}), own);
  assert.equal(call(undefined), own);
  assert.equal(call(true), own);
  assert.equal(call(false), undefined);
  const one = call(1);
  assert.equal(one?.limit, 1);
  assert.deepEqual([...(one?.statusCodes ?? [])], [503], 'the layer’s statuses kept');
  assert.equal(one?.budget, budget, 'the same budget instance');
  const options = { methods: ['POST'] };
  const merged = call(options);
  assert.equal(merged?.limit, 4);
  assert.ok(merged?.methods.has('POST'));
  assert.equal(call(options), merged, 'built once per object');
  assert.equal(call(1), one, 'built once per number');
  assert.throws(() => call('x'), { message: /"fetchstack\.retry" must be a number/ });
});

test('per call: a call’s onRetry runs after the layer’s, not instead of it', async () => {
  const seen: string[] = [];
  const base = { onRetry: () => void seen.push('layer') };
  const policyOf = policies(normalize, base, normalize(base));
  const policy = policyOf({
    fetchstack: { retry: { onRetry: () => void seen.push('call') } },
  } as RequestInit);
  await policy?.onRetry?.({} as never);
  assert.deepEqual(seen, ['layer', 'call']);
  assert.throws(() => policyOf({ fetchstack: { retry: { onRetry: 'log' } } } as RequestInit), {
    message: /"fetchstack\.retry\.onRetry" must be a function/,
  });
});

test('per call on retry(false): true gives the defaults', () => {
  const policyOf = policies(normalize, undefined, undefined);
  assert.equal(policyOf(undefined), undefined);
  assert.equal(policyOf({ fetchstack: { retry: true } } as RequestInit)?.limit, 2);
});
