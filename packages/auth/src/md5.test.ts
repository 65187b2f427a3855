import assert from 'node:assert/strict';
import { test } from 'node:test';
import { md5, md5Hex, toHex } from './md5.js';

test('md5: the RFC 1321 test suite (appendix A.5)', () => {
  const suite: [string, string][] = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    [
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
      'd174ab98d277d9f5a5611c2c9f419d9f',
    ],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a',
    ],
  ];
  for (const [input, digest] of suite) assert.equal(md5Hex(input), digest, JSON.stringify(input));
});

test('md5: inputs around the padding boundary (55, 56, 64 bytes) and a long one', () => {
  assert.equal(md5Hex('x'.repeat(55)), '04364420e25c512fd958a70738aa8f72');
  assert.equal(md5Hex('x'.repeat(56)), '668a72d5ba17f08e62dabcafad6db14b');
  assert.equal(md5Hex('x'.repeat(64)), 'c1bb4f81d892b2d57947682aeb252456');
  assert.equal(md5Hex('a'.repeat(1_000_000)), '7707d6ae4e027c70eea2a935c2296f21');
});

test('md5: a string is hashed as UTF-8; bytes as they are', () => {
  assert.equal(md5Hex('pässwörd €𝄞'), 'b15760d4433341eb90bf271a994bdb8a');
  assert.equal(md5Hex(new Uint8Array([0x61, 0x62, 0x63])), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(md5('abc').length, 16);
  assert.equal(toHex(new Uint8Array([0, 15, 255])), '000fff');
});
