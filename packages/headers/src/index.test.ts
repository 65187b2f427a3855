import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeHeaders } from './index.js';

const entries = (headers: Headers) => [...headers];

test('mergeHeaders: the call’s headers win name by name; defaults fill in the rest', () => {
  const defaults = new Headers({ accept: 'application/json', 'user-agent': 'app/1' });
  const merged = mergeHeaders(defaults, 'https://example.com/', {
    headers: { Accept: 'text/html', 'X-Call': '1' },
  });
  assert.deepEqual(entries(merged), [
    ['accept', 'text/html'],
    ['user-agent', 'app/1'],
    ['x-call', '1'],
  ]);
  assert.deepEqual(entries(defaults), [
    ['accept', 'application/json'],
    ['user-agent', 'app/1'],
  ]);
});

test('mergeHeaders: every HeadersInit form, and a Request input’s own headers', () => {
  const defaults = new Headers({ a: 'default', b: 'default' });
  const forms: HeadersInit[] = [{ a: 'call' }, [['a', 'call']], new Headers({ a: 'call' })];
  for (const headers of forms) {
    assert.deepEqual(entries(mergeHeaders(defaults, 'https://example.com/', { headers })), [
      ['a', 'call'],
      ['b', 'default'],
    ]);
  }
  const request = new Request('https://example.com/', { headers: { b: 'request' } });
  assert.deepEqual(entries(mergeHeaders(defaults, request, undefined)), [
    ['a', 'default'],
    ['b', 'request'],
  ]);
  // init.headers replaces a Request's own, as in fetch.
  assert.deepEqual(entries(mergeHeaders(defaults, request, { headers: { c: 'init' } })), [
    ['a', 'default'],
    ['b', 'default'],
    ['c', 'init'],
  ]);
});

test('mergeHeaders: undefined in a plain object removes a default; repeated values stay joined', () => {
  const defaults = new Headers({ 'user-agent': 'app/1', accept: '*/*' });
  const merged = mergeHeaders(defaults, 'https://example.com/', {
    headers: { 'User-Agent': undefined } as unknown as HeadersInit,
  });
  assert.deepEqual(entries(merged), [['accept', '*/*']]);
  const joined = mergeHeaders(new Headers(), 'https://example.com/', {
    headers: [
      ['x-many', '1'],
      ['x-many', '2'],
    ],
  });
  assert.equal(joined.get('x-many'), '1, 2');
});
