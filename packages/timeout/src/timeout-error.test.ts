import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCall } from '@fetchstack/core/internal';
import { onDemand, TimeoutError } from './timeout-error.js';

test('before its words load, a TimeoutError made by hand gives the origin and path only', () => {
  // Runs first: nothing in this file has loaded ./on-demand.ts yet.
  assert.equal(onDemand.get(), undefined);
  const error = new TimeoutError('total', 100, 'https://u:p@example.com/a?token=x', {
    method: 'post',
  });
  assert.equal(error.message, 'POST https://example.com/a timed out (total: 100 ms).');
  assert.equal(error.url, 'https://example.com/a');
  assert.equal(error.method, 'POST');
  assert.equal(error.limit, 'total');
  assert.equal(error.ms, 100);
});

test('once loaded, the message names the call (credentials removed), the limit and a hint', async () => {
  await onDemand.load();
  const cases: [string | URL | Request, RequestInit | undefined][] = [
    ['https://u:p@example.com/a?token=x&b=1', { method: 'patch' }],
    [new URL('http://example.com:8080/x#frag'), undefined],
    [new Request('https://example.com/r?api_key=1', { method: 'PUT' }), undefined],
    ['/relative?password=1', undefined],
    ['not a url', undefined],
  ];
  for (const [input, init] of cases) {
    const error = new TimeoutError('attempt', 250, input, init);
    const at = describeCall(input, init);
    assert.equal(error.url, at.url);
    assert.equal(error.method, at.method);
    assert.equal(
      error.message,
      `${at.method} ${at.url} timed out: no response headers within the per-try (attempt) timeout (attempt: 250 ms); raise \`attempt\` if one try may legitimately take longer.`,
    );
  }
  assert.match(
    new TimeoutError('read', 5, 'https://example.com/').message,
    /^GET https:\/\/example\.com\/ timed out: the response body was silent longer than the read timeout \(read: 5 ms\); raise `read` if the server pauses between chunks\.$/,
  );
  assert.match(
    new TimeoutError('total', 7, 'https://example.com/').message,
    /timed out: no final response headers within the total timeout \(total: 7 ms\); raise `total` if the server is slow but healthy\.$/,
  );
});
