import assert from 'node:assert/strict';
import { test } from 'node:test';
import { badPorts, isBadPort } from './bad-port.js';

test("bad ports: the Fetch standard's list", () => {
  for (const port of [
    1, 7, 9, 21, 22, 25, 110, 143, 587, 2049, 5060, 6000, 6665, 6669, 6697, 10080,
  ]) {
    assert.equal(isBadPort(new URL(`http://example.test:${port}/`)), true, `port ${port}`);
  }
  assert.equal(badPorts().size, 83);
});

test('bad ports: usual ports, default ports and other schemes are fine', () => {
  for (const url of [
    'http://example.test/',
    'https://example.test/',
    'http://example.test:8080/',
    'https://example.test:8443/',
    'http://example.test:6670/',
    'http://example.test:3000/',
  ]) {
    assert.equal(isBadPort(new URL(url)), false, url);
  }
  // The scheme's default port is not in the URL: https://host:443 is https://host.
  assert.equal(isBadPort(new URL('https://example.test:443/')), false);
  assert.equal(isBadPort(new URL('ftp://example.test:25/')), false);
});
