import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChallenges } from './challenge.js';

const plain = (header: string) =>
  parseChallenges(header).map((c) => ({ scheme: c.scheme, params: { ...c.params } }));

test('parseChallenges: one digest challenge, quoted and bare values', () => {
  assert.deepEqual(
    plain('Digest realm="me@example.com", qop="auth, auth-int", nonce="abc", algorithm=SHA-256'),
    [
      {
        scheme: 'digest',
        params: {
          realm: 'me@example.com',
          qop: 'auth, auth-int',
          nonce: 'abc',
          algorithm: 'SHA-256',
        },
      },
    ],
  );
});

test('parseChallenges: several challenges in one header (as a runtime joins header lines)', () => {
  const parsed = plain('Basic realm="a", Digest realm="b", nonce="n", Bearer');
  assert.deepEqual(
    parsed.map((c) => c.scheme),
    ['basic', 'digest', 'bearer'],
  );
  assert.deepEqual(parsed[1]?.params, { realm: 'b', nonce: 'n' });
});

test('parseChallenges: names are lower-cased, escapes unquoted, the first of a repeated name wins', () => {
  assert.deepEqual(plain('DIGEST Realm="say \\"hi\\"", NONCE=x, nonce=y'), [
    { scheme: 'digest', params: { realm: 'say "hi"', nonce: 'x' } },
  ]);
});

test('parseChallenges: junk is skipped, never thrown on', () => {
  assert.deepEqual(plain(''), []);
  assert.deepEqual(plain(',,, ;;'), []);
  assert.deepEqual(plain('Digest realm="unterminated'), [
    { scheme: 'digest', params: { realm: 'unterminated' } },
  ]);
  // A stray "=" leaves a bogus scheme behind, and the challenge after it intact.
  assert.deepEqual(
    plain('=value, Digest nonce=1').find((c) => c.scheme === 'digest'),
    { scheme: 'digest', params: { nonce: '1' } },
  );
});
