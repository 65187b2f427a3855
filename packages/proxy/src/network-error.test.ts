import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkError } from './network-error.js';

test('networkError: a TypeError as fetch rejects with, naming the request without secrets', () => {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2'), {
    code: 'ECONNREFUSED',
  });
  const error = networkError(cause, 'http://user:pw@127.0.0.1:2/x?token=abc&q=1', {
    method: 'post',
  });
  assert.ok(error instanceof TypeError);
  assert.equal(error.message, 'fetch failed');
  assert.equal(error.cause, cause);
  const info = error as TypeError & { method: string; url: string; code: string };
  assert.equal(info.method, 'POST');
  assert.equal(info.url, 'http://***:***@127.0.0.1:2/x?token=***&q=1');
  assert.equal(info.code, 'ECONNREFUSED');
});
