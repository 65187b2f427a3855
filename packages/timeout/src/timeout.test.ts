import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitTimeout, timeout } from './timeout.js';

test('bad limits throw a TypeError naming the option when the layer is made', () => {
  const max = 2 ** 31 - 1;
  const cases: [unknown, string][] = [
    [
      0,
      `timeout(): the timeout must be a positive number of ms (at most ${max}); got number 0. Leave it out for no limit.`,
    ],
    [undefined, 'timeout(): pass a number of ms or { total, attempt, read }; got undefined.'],
    ['5s', 'timeout(): options must be an object, got the string "5s".'],
    [
      { totl: 5 },
      'timeout(): unknown option "totl". Did you mean "total"? Known options: total, attempt, read.',
    ],
    [
      { read: Number.POSITIVE_INFINITY },
      `timeout(): "read" must be a positive number of ms (at most ${max}); got number Infinity. Leave it out for no limit.`,
    ],
    [
      { connect: 5 },
      'timeout(): "connect" is not a timeout this layer can enforce; it belongs to the transport: set it through @fetchstack/proxy or createSession({ timeout: { connect } }).',
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => timeout(value as number), { name: 'TypeError', message });
    assert.throws(() => splitTimeout(value as number), { name: 'TypeError', message });
  }
  timeout(false);
  timeout({ total: 1, attempt: false, read: undefined });
});

test('a bad per-call value rejects the call before any request', async () => {
  let calls = 0;
  const next = async () => {
    calls++;
    return new Response('ok');
  };
  const f = timeout(false)(next);
  const max = 2 ** 31 - 1;
  await assert.rejects(f('https://example.com/', { fetchstack: { timeout: -1 } } as RequestInit), {
    name: 'TypeError',
    message: `fetch(input, init): "fetchstack.timeout" must be a positive number of ms (at most ${max}); got number -1. Leave it out for no limit.`,
  });
  await assert.rejects(
    f('https://example.com/', { fetchstack: { timeout: { attempt: 'x' } } } as RequestInit),
    {
      message: `fetch(input, init): "fetchstack.timeout.attempt" must be a positive number of ms (at most ${max}); got the string "x". Leave it out for no limit.`,
    },
  );
  await assert.rejects(f('https://example.com/', { fetchstack: { timeout: 'x' } } as RequestInit), {
    message:
      'fetch(input, init): "fetchstack.timeout" must be a number of ms (the total), { total, attempt, read }, true or false; got the string "x".',
  });
  assert.equal(calls, 0);
});
