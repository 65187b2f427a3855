import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveInput } from './run.js';
import { parseBaseUrl } from './url.js';

describe('parseBaseUrl', () => {
  test('a base URL names a folder: its path gets a final "/"', () => {
    assert.equal(parseBaseUrl('https://host/api/v1', 'w')?.href, 'https://host/api/v1/');
    assert.equal(parseBaseUrl('https://host/api/v1/', 'w')?.href, 'https://host/api/v1/');
    assert.equal(parseBaseUrl('https://host', 'w')?.href, 'https://host/');
    assert.equal(parseBaseUrl(new URL('http://host/a?x=1'), 'w')?.href, 'http://host/a/?x=1');
  });

  test('undefined is no base', () => {
    assert.equal(parseBaseUrl(undefined, 'w'), undefined);
  });

  test('anything but an absolute http(s) URL is a TypeError naming where and the option', () => {
    for (const bad of ['api/v1/', 'ftp://host/', 42, null, {}]) {
      assert.throws(() => parseBaseUrl(bad, 'createSession()'), {
        name: 'TypeError',
        message: /^createSession\(\): "baseUrl" must be an absolute http\(s\) URL/,
      });
    }
  });

  test('a base URL that does not parse: the message hides its password and secret parameters', () => {
    for (const bad of [
      'http://ann:s3cret@[::1/v1/',
      'http://ann:s3cret@host:99999/',
      'ftp://h/?api_key=s3cret',
    ]) {
      assert.throws(
        () => parseBaseUrl(bad, 'createSession()'),
        (e: unknown) =>
          e instanceof TypeError &&
          /^createSession\(\): "baseUrl" must be an absolute http\(s\) URL.*got a string \(not shown/.test(
            e.message,
          ) &&
          !e.message.includes('s3cret'),
        bad,
      );
    }
  });

  test('a user name or password in it is a TypeError that does not repeat them', () => {
    for (const bad of [
      'https://ann:s3cret@host/v1/',
      new URL('http://ann@host/'),
      'ftp://a:s3cret@h/',
    ]) {
      const error = assert.throws(
        () => parseBaseUrl(bad, 'createSession()'),
        (e: unknown) => {
          assert.ok(e instanceof TypeError);
          assert.match(
            e.message,
            /^createSession\(\): "baseUrl" must not hold a user name or password .*auth: \[user, password\]/,
          );
          assert.doesNotMatch(e.message, /ann|s3cret/);
          return true;
        },
      );
      assert.equal(error, undefined);
    }
  });
});

describe('resolveInput', () => {
  const base = parseBaseUrl('https://host/api/v1', 'w');

  test('a relative string extends the folder', () => {
    assert.equal(resolveInput('users/me', base), 'https://host/api/v1/users/me');
    assert.equal(resolveInput('./users', base), 'https://host/api/v1/users');
    assert.equal(resolveInput('../v2/x', base), 'https://host/api/v2/x');
    assert.equal(resolveInput('?q=1', base), 'https://host/api/v1/?q=1');
    assert.equal(resolveInput('', base), 'https://host/api/v1/');
  });

  test('"/" and a scheme resolve as a URL does', () => {
    assert.equal(resolveInput('/health', base), 'https://host/health');
    assert.equal(resolveInput('//other/x', base), 'https://other/x');
    assert.equal(resolveInput('http://other/x', base), 'http://other/x');
  });

  test('URL and Request inputs, and every input without a base, are left alone', () => {
    const url = new URL('https://other/x');
    assert.equal(resolveInput(url, base), url);
    const request = new Request('https://other/y');
    assert.equal(resolveInput(request, base), request);
    assert.equal(resolveInput('users/me', undefined), 'users/me');
  });
});
