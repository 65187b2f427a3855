import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatStatus, isHttpDate, mergeHeaders, policyHeaders, toHeaders } from './http.js';

describe('http helpers', () => {
  test('isHttpDate takes the three HTTP-date formats only', () => {
    assert.ok(isHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'));
    assert.ok(isHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'));
    assert.ok(isHttpDate('Sun Nov  6 08:49:37 1994'));
    assert.ok(!isHttpDate('Sun, 06 Nov 1994 08:49:37 UTC'));
    assert.ok(!isHttpDate('Sun 06 Nov 1994 08:49:37 GMT'));
    assert.ok(!isHttpDate('0'));
  });

  test('policyHeaders: bad Expires is past, Age is its first integer, directives lower-case', () => {
    const h = policyHeaders(
      toHeaders([
        ['expires', 'tomorrow'],
        ['age', '7200;foo=bar'],
        ['cache-control', 'MAX-AGE=60, No-Cache="Set-Cookie"'],
      ]),
    );
    assert.equal(h.expires, '0');
    assert.equal(h.age, '7200');
    assert.equal(h['cache-control'], 'max-age=60, no-cache="Set-Cookie"');
    assert.equal(policyHeaders(toHeaders([['age', '7200.0']])).age, undefined);
  });

  test('mergeHeaders: a 304 replaces and adds fields, never Content-Length', () => {
    const merged = mergeHeaders(
      [
        ['content-length', '5'],
        ['x-a', '1'],
        ['set-cookie', 'a=1'],
      ],
      toHeaders([
        ['x-a', '2'],
        ['x-b', '3'],
        ['content-length', '0'],
      ]),
    );
    assert.deepEqual(merged, [
      ['content-length', '5'],
      ['set-cookie', 'a=1'],
      ['x-a', '2'],
      ['x-b', '3'],
    ]);
  });

  test('formatStatus writes RFC 9211 parameters in order', () => {
    assert.equal(formatStatus({ hit: true, ttl: 59.6 }), 'fetchstack; hit; ttl=60');
    assert.equal(
      formatStatus({ fwd: 'stale', fwdStatus: 304 }),
      'fetchstack; fwd=stale; fwd-status=304',
    );
    assert.equal(formatStatus({ fwd: 'miss', stored: true }), 'fetchstack; fwd=miss; stored');
  });
});
