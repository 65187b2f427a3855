import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bypassesProxy, parseNoProxy } from './no-proxy.js';

const bypass = (rules: string | string[], url: string) =>
  bypassesProxy(parseNoProxy(rules), new URL(url));

test('NO_PROXY: a host matches itself and its subdomains, never a longer name', () => {
  assert.equal(bypass('example.com', 'http://example.com/'), true);
  assert.equal(bypass('example.com', 'http://api.example.com/'), true);
  assert.equal(bypass('.example.com', 'http://example.com/'), true);
  assert.equal(bypass('*.example.com', 'https://a.b.example.com/'), true);
  assert.equal(bypass('example.com', 'http://notexample.com/'), false);
  assert.equal(bypass('example.com', 'http://example.com.evil.test/'), false);
});

test('NO_PROXY: case, spaces, commas, a trailing dot and arrays', () => {
  assert.equal(bypass(' Foo.Internal , localhost ', 'http://LOCALHOST:8080/'), true);
  assert.equal(bypass('foo.internal', 'http://bar.FOO.internal./'), true);
  assert.equal(bypass(['a.test', 'b.test'], 'http://b.test/'), true);
  assert.equal(bypass('', 'http://a.test/'), false);
});

test("NO_PROXY: '*' sends everything direct", () => {
  assert.equal(bypass('*', 'https://anything.test/'), true);
  assert.equal(bypass('a.test,*', 'http://b.test/'), true);
});

test('NO_PROXY: a port limits the entry to that port (default ports count)', () => {
  assert.equal(bypass('example.com:8080', 'http://example.com:8080/'), true);
  assert.equal(bypass('example.com:8080', 'http://example.com/'), false);
  assert.equal(bypass('example.com:443', 'https://example.com/'), true);
  assert.equal(bypass('example.com:80', 'https://example.com/'), false);
});

test('NO_PROXY: IP literals and IPv4 CIDR blocks, matched as written (no DNS)', () => {
  assert.equal(bypass('10.0.0.1', 'http://10.0.0.1/'), true);
  assert.equal(bypass('10.0.0.0/8', 'http://10.200.3.4/'), true);
  assert.equal(bypass('10.0.0.0/8', 'http://11.0.0.1/'), false);
  assert.equal(bypass('192.168.1.0/24', 'http://192.168.2.1/'), false);
  assert.equal(bypass('0.0.0.0/0', 'http://8.8.8.8/'), true);
  assert.equal(bypass('::1', 'http://[::1]:3000/'), true);
  assert.equal(bypass('[::1]:3000', 'http://[::1]:3000/'), true);
  assert.equal(bypass('[::1]:3000', 'http://[::1]:4000/'), false);
  assert.equal(bypass('10.0.0.0/8', 'http://ten.example/'), false);
});

test('an IP host matches whole addresses and CIDR blocks only, IPv6 too (as curl reads NO_PROXY)', () => {
  const rules = parseNoProxy('0.1, 0.0.1, fd00::/8, 0:0:0:0:0:0:0:1, 2001:db8::/32, .example.com');
  const direct = (url: string) => bypassesProxy(rules, new URL(url));
  assert.equal(direct('http://10.0.0.1/'), false, '0.1 is not a suffix of an address');
  assert.equal(direct('http://127.0.0.1/'), false);
  assert.equal(direct('http://[fd12:3456::1]/'), true, 'in fd00::/8');
  assert.equal(direct('http://[fe80::1]/'), false);
  assert.equal(direct('http://[::1]:8080/'), true, 'the same address, spelled otherwise');
  assert.equal(direct('http://[2001:db8:1::5]/'), true);
  assert.equal(direct('http://[2001:db9::5]/'), false);
  assert.equal(direct('https://api.example.com/'), true, 'names still match as suffixes');
});
