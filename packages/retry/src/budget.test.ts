import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryBudget } from './budget.js';
import { retry } from './retry.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

test('budget: the reserve is minPerSecond × the window in seconds', () => {
  const c = clock();
  const budget = new RetryBudget({ ratio: 0, windowMs: 2000, minPerSecond: 3 }, c.now);
  assert.equal(budget.available, 6);
  for (let i = 0; i < 6; i++) assert.ok(budget.tryWithdraw(), `retry ${i + 1}`);
  assert.equal(budget.tryWithdraw(), false);
  assert.equal(budget.available, 0);
});

test('budget: ratio × the first tries of the window, on top of the reserve', () => {
  const c = clock();
  const budget = new RetryBudget({ ratio: 0.2, windowMs: 1000, minPerSecond: 0 }, c.now);
  for (let i = 0; i < 10; i++) budget.deposit();
  assert.equal(budget.available, 2);
  assert.ok(budget.tryWithdraw());
  assert.ok(budget.tryWithdraw());
  assert.equal(budget.tryWithdraw(), false, 'a third retry would add more than 20 %');
  for (let i = 0; i < 5; i++) budget.deposit();
  assert.equal(budget.available, 1, '15 tries allow 3 retries, 2 taken');
});

test('budget: tries and retries slide out of the window', () => {
  const c = clock();
  const budget = new RetryBudget({ ratio: 1, windowMs: 1000, minPerSecond: 0 }, c.now);
  budget.deposit();
  budget.deposit();
  assert.ok(budget.tryWithdraw());
  c.advance(500);
  assert.equal(budget.available, 1, 'half a window later everything still counts');
  c.advance(600);
  assert.equal(budget.available, 0, 'a window later the tries are gone');
  budget.deposit();
  assert.equal(budget.available, 1, 'and so is the retry that was taken');
  c.advance(10 * 1000);
  assert.equal(budget.available, 0);
});

test('budget: bad options are a TypeError naming the key', () => {
  assert.throws(() => new RetryBudget({ ratio: -1 }), { name: 'TypeError', message: /"ratio"/ });
  assert.throws(() => new RetryBudget({ windowMs: 50 }), { message: /"windowMs".*>= 100/ });
  assert.throws(() => new RetryBudget({ minPerSec: 1 } as never), {
    message: /unknown option "minPerSec"\. Did you mean "minPerSecond"\?/,
  });
});

test('budget: any object with deposit() and tryWithdraw() is used as the budget', async () => {
  const seen: string[] = [];
  let allow = 1;
  const budget = {
    ratio: 0.5,
    windowMs: 1000,
    minPerSecond: 0,
    deposit: () => seen.push('deposit'),
    tryWithdraw: () => {
      seen.push('withdraw');
      return allow-- > 0;
    },
  };
  let tries = 0;
  const f = retry({ budget, backoff: { initial: 1, jitter: false } })(async () => {
    tries++;
    return new Response('down', { status: 503 });
  });
  const res = await f('https://a.example/');
  assert.equal(res.status, 503);
  assert.equal(tries, 2, 'one retry, then the budget says no');
  assert.deepEqual(seen, ['deposit', 'withdraw', 'withdraw']);
});
