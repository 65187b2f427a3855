import assert from 'node:assert/strict';
import { test } from 'node:test';
import { annotate, codeOf } from './describe.js';

test('codeOf: the first code along the cause chain', () => {
  const inner = Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' });
  assert.equal(codeOf(new TypeError('fetch failed', { cause: inner })), 'UND_ERR_SOCKET');
  assert.equal(codeOf(new TypeError('fetch failed', { cause: new Error('bad port') })), undefined);
  assert.equal(codeOf('not an error'), undefined);
});

test('codeOf: a code named only in words (Deno)', () => {
  const words = (text: string) => new TypeError('fetch failed', { cause: new Error(text) });
  assert.equal(
    codeOf(words('client error (Connect): tcp connect error: Connection refused (os error 111)')),
    'ECONNREFUSED',
  );
  assert.equal(
    codeOf(words('client error (Connect): dns error: failed to lookup address information')),
    'ENOTFOUND',
  );
  assert.equal(codeOf(words('connection closed before message completed')), undefined);
});

test('annotate: keeps what the error already says; leaves frozen errors alone', () => {
  const bun = Object.assign(new TypeError('Unable to connect'), { code: 'ConnectionRefused' });
  annotate(bun, new URL('http://127.0.0.1:2/'), undefined);
  assert.equal((bun as { code?: string }).code, 'ConnectionRefused');
  assert.equal((bun as { method?: string }).method, 'GET');
  const frozen = Object.freeze(new TypeError('x'));
  assert.equal(annotate(frozen, 'http://a.test/', undefined), frozen);
});

test('annotate: a URL given without its path is named once in the causes, not with "//"', () => {
  const cause = Object.assign(new Error('no connection to GET http://a.test:1/ in time'), {
    url: 'http://a.test:1/',
  });
  const secret = Object.assign(new Error('GET http://u:pw@a.test:1/x?token=abc failed'), {
    path: 'http://u:pw@a.test:1/x?token=abc',
  });
  annotate(new TypeError('fetch failed', { cause }), 'http://a.test:1', undefined);
  assert.equal(cause.message, 'no connection to GET http://a.test:1/ in time');
  assert.equal(cause.url, 'http://a.test:1/');
  annotate(
    new TypeError('fetch failed', { cause: secret }),
    'http://u:pw@a.test:1/x?token=abc',
    undefined,
  );
  assert.doesNotMatch(`${secret.message} ${secret.path}`, /pw|abc/);
});
