import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { credentialHeaders, isSecretName, redactHeaders, redactUrl } from './redact.js';

describe('redactUrl', () => {
  test('replaces a user name and a password with ***', () => {
    assert.equal(redactUrl('https://user:pa55@example.com/a'), 'https://***:***@example.com/a');
    assert.equal(redactUrl(new URL('http://user@example.com/')), 'http://***@example.com/');
    assert.equal(redactUrl('http://:pa55@example.com/'), 'http://:***@example.com/');
  });

  test('leaves a URL without secrets as the URL parser writes it', () => {
    assert.equal(redactUrl('https://example.com/a?page=2#top'), 'https://example.com/a?page=2#top');
    assert.equal(redactUrl('HTTPS://EXAMPLE.com'), 'https://example.com/');
  });

  test('hides the values of secret query parameters, keeping names and order', () => {
    assert.equal(
      redactUrl('https://example.com/?a=1&api_key=k&b=2&access_token=t&Password=p'),
      'https://example.com/?a=1&api_key=***&b=2&access_token=***&Password=***',
    );
    // The name is compared decoded; the caller's spelling of it is kept.
    assert.equal(
      redactUrl('https://example.com/?x%2Dtoken=s'),
      'https://example.com/?x%2Dtoken=***',
    );
    // A parameter without a value has nothing to hide.
    assert.equal(redactUrl('https://example.com/?token'), 'https://example.com/?token');
  });

  test('hides the parameters named in `extra`, without case', () => {
    assert.equal(
      redactUrl('https://example.com/?sig=abc&page=1', ['SIG']),
      'https://example.com/?sig=***&page=1',
    );
  });

  test('hides secret query values in a relative URL too (a Location header, say)', () => {
    assert.equal(redactUrl('/loop?a=1&access_token=s3cret#t=x'), '/loop?a=1&access_token=***#t=x');
    assert.equal(redactUrl('//u:pa55@h/x?token=s3cret'), '//***@h/x?token=***');
    assert.equal(redactUrl('next?page=2'), 'next?page=2');
    assert.equal(redactUrl('?sig=abc', ['sig']), '?sig=***');
  });

  test('hides secret values in a fragment written as parameters (OAuth returns tokens there)', () => {
    assert.equal(
      redactUrl('https://app.example/cb#access_token=s3cret&state=x'),
      'https://app.example/cb#access_token=***&state=x',
    );
    assert.equal(redactUrl('https://app.example/#section'), 'https://app.example/#section');
    assert.equal(redactUrl('/cb?page=1#token=s3cret'), '/cb?page=1#token=***');
    // An OAuth callback's authorization code, and a presigned URL's credential and signature.
    assert.equal(redactUrl('/cb?code=c0de&state=x'), '/cb?code=***&state=x');
    assert.equal(
      redactUrl(
        'https://b.s3.example/o?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ab12&X-Amz-Expires=60',
      ),
      'https://b.s3.example/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Expires=60',
    );
    assert.equal(redactUrl('/cb#x?token=s3cret'), '/cb#x?token=***');
  });

  test('hides what the URL parser would read as user info in a string that is not a URL', () => {
    assert.equal(redactUrl('//user:pa55@example.com/a'), '//***@example.com/a');
    assert.equal(redactUrl('\\\\user:pa55@example.com/a'), '\\\\***@example.com/a');
    assert.equal(redactUrl('not a url'), 'not a url');
  });

  test('hides user info that the parser reads as a scheme and a path (`user:pass@host`)', () => {
    const out = redactUrl('user:pa55@example.com');
    assert.equal(out.includes('pa55'), false, out);
    assert.equal(out.endsWith('@example.com'), true, out);
  });

  test('never shows the credentials, whatever the separators', () => {
    for (const raw of [
      'http://u:secret@example.com/',
      'http:\\\\u:secret@example.com/',
      'http:/u:secret@example.com/',
      'ht\ttp://u:sec\nret@example.com/',
      'http://u:a@b:secret@example.com/',
    ]) {
      const shown = redactUrl(raw);
      assert.ok(!shown.includes('secret') && !shown.includes('sec'), `${raw} -> ${shown}`);
    }
  });
});

describe('isSecretName', () => {
  test('recognises credential headers and names with a secret word, without case', () => {
    for (const name of [
      ...credentialHeaders,
      'Set-Cookie',
      'X-API-Key',
      'client_secret',
      'id_token',
      'X-Auth-User',
      'password',
      'passwd',
      'X-Amz-Credential',
      'X-Amz-Signature',
      'session_id',
      'X-Session-Id',
      'jwt',
      'X-CSRF-Token',
      'sig',
      'pw',
      'code',
    ])
      assert.equal(isSecretName(name), true, name);
    for (const name of ['accept', 'content-type', 'x-request-id', 'page', 'zipcode', 'signal'])
      assert.equal(isSecretName(name), false, name);
  });

  test('adds the names in `extra`, compared without case', () => {
    assert.equal(isSecretName('X-Tenant'), false);
    assert.equal(isSecretName('X-Tenant', ['x-tenant']), true);
  });
});

describe('redactHeaders', () => {
  test('keeps the scheme of Authorization and Proxy-Authorization, hides the rest', () => {
    const shown = redactHeaders(
      new Headers({
        accept: 'application/json',
        authorization: 'Bearer abc.def',
        'proxy-authorization': 'Basic dXNlcjpwYXNz',
        cookie: 'sid=1',
        'x-api-key': 'k',
      }),
    );
    assert.deepEqual(shown, [
      ['accept', 'application/json'],
      ['authorization', 'Bearer [redacted]'],
      ['cookie', '[redacted]'],
      ['proxy-authorization', 'Basic [redacted]'],
      ['x-api-key', '[redacted]'],
    ]);
  });

  test('a URL value (Location, Content-Location, Referer) keeps the URL, its secrets hidden', () => {
    assert.deepEqual(
      redactHeaders(
        new Headers({
          location: '/next?token=s3cret&page=2',
          'content-location': 'https://u:pw@example.com/x',
          referer: 'https://example.com/?api_key=k',
        }),
      ),
      [
        ['content-location', 'https://***:***@example.com/x'],
        ['location', '/next?token=***&page=2'],
        ['referer', 'https://example.com/?api_key=***'],
      ],
    );
  });

  test('an Authorization value without a scheme is hidden whole', () => {
    assert.deepEqual(redactHeaders(new Headers({ authorization: 'abc' })), [
      ['authorization', '[redacted]'],
    ]);
  });

  test('one pair per Set-Cookie, each hidden', () => {
    const headers = new Headers([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['content-type', 'text/plain'],
    ]);
    assert.deepEqual(redactHeaders(headers), [
      ['content-type', 'text/plain'],
      ['set-cookie', '[redacted]'],
      ['set-cookie', '[redacted]'],
    ]);
  });

  test('hides the names in `extra` too', () => {
    assert.deepEqual(
      redactHeaders(new Headers({ 'x-signature': 's', accept: '*/*' }), ['X-Signature']),
      [
        ['accept', '*/*'],
        ['x-signature', '[redacted]'],
      ],
    );
  });
});
