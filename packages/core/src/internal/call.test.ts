import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeRequest,
  hasHeader,
  headersOf,
  hrefOf,
  methodOf,
  normalizeMethod,
  sameOrigin,
  signalOf,
  urlOf,
  withoutFragment,
} from './call.js';
import { callLabel, describeCall } from './describe.js';
import { isRequest } from './runtime.js';

describe('normalizeMethod', () => {
  test('upper-cases the six methods fetch normalises, and only those', () => {
    for (const m of ['delete', 'get', 'head', 'options', 'post', 'put'])
      assert.equal(normalizeMethod(m), m.toUpperCase());
    assert.equal(normalizeMethod('Post'), 'POST');
    assert.equal(normalizeMethod('patch'), 'patch');
    assert.equal(normalizeMethod('PATCH'), 'PATCH');
    assert.equal(normalizeMethod('propfind'), 'propfind');
  });
});

describe('methodOf', () => {
  test('init.method wins, then the Request, then GET', () => {
    assert.equal(methodOf('https://example.com/'), 'GET');
    assert.equal(methodOf('https://example.com/', { method: 'post' }), 'POST');
    const request = new Request('https://example.com/', { method: 'PUT' });
    assert.equal(methodOf(request), 'PUT');
    assert.equal(methodOf(request, { method: 'delete' }), 'DELETE');
    assert.equal(methodOf(new URL('https://example.com/'), { method: 'patch' }), 'patch');
  });
});

describe('isRequest', () => {
  test('true for a Request, and for a Request-like object from another realm', () => {
    assert.equal(isRequest(new Request('https://example.com/')), true);
    const foreign = { url: 'https://example.com/', method: 'GET', headers: {}, clone() {} };
    assert.equal(isRequest(foreign), true);
  });

  test('false for strings, URLs and objects missing part of the shape', () => {
    assert.equal(isRequest('https://example.com/'), false);
    assert.equal(isRequest(new URL('https://example.com/')), false);
    assert.equal(isRequest({ url: 'https://example.com/', method: 'GET' }), false);
    assert.equal(isRequest(null), false);
  });
});

describe('urlOf, headersOf, signalOf', () => {
  test('urlOf reads a string, a URL or a Request; a relative string throws a TypeError where fetch has no base', () => {
    assert.equal(urlOf('https://example.com/a').href, 'https://example.com/a');
    const url = new URL('https://example.com/b');
    assert.equal(urlOf(url), url);
    assert.equal(urlOf(new Request('https://example.com/c')).href, 'https://example.com/c');
    assert.throws(() => urlOf('/relative'), TypeError);
  });

  test('urlOf resolves a relative string against the base fetch has: a page, a worker', () => {
    const g = globalThis as { document?: unknown; location?: unknown };
    try {
      g.location = { href: 'https://page.example/app/index.html', origin: 'https://page.example' };
      assert.equal(urlOf('api/x?q=1').href, 'https://page.example/app/api/x?q=1');
      g.document = { baseURI: 'https://cdn.example/base/' };
      assert.equal(urlOf('/x').href, 'https://cdn.example/x', "a page's <base> wins");
      assert.equal(urlOf('https://other.example/y').href, 'https://other.example/y');
    } finally {
      delete g.location;
      delete g.document;
    }
    assert.throws(() => urlOf('/relative'), TypeError);
  });

  test('headersOf: init.headers replace the Request’s, and the result is a fresh copy', () => {
    const request = new Request('https://example.com/', { headers: { a: '1' } });
    assert.equal(headersOf(request).get('a'), '1');
    assert.equal(headersOf(request, { headers: { b: '2' } }).get('a'), null);
    const copy = headersOf(request);
    copy.set('a', 'changed');
    assert.equal(request.headers.get('a'), '1');
    assert.deepEqual([...headersOf('https://example.com/')], []);
  });

  test('hasHeader: what headersOf(...).has() says, for every shape of headers', () => {
    const request = new Request('https://example.com/', { headers: { Authorization: 'x' } });
    const shapes: [string | Request, RequestInit | undefined, boolean][] = [
      ['https://example.com/', undefined, false],
      ['https://example.com/', {}, false],
      ['https://example.com/', { headers: new Headers({ AUTHORIZATION: 'x' }) }, true],
      ['https://example.com/', { headers: { authorization: 'x' } }, true],
      ['https://example.com/', { headers: [['Authorization', 'x']] }, true],
      ['https://example.com/', { headers: { other: 'x' } }, false],
      [request, undefined, true],
      [request, { headers: {} }, false],
    ];
    for (const [input, init, has] of shapes) {
      assert.equal(hasHeader(input, init, 'authorization'), has, JSON.stringify(init));
      assert.equal(headersOf(input, init).has('authorization'), has);
    }
  });

  test('withoutFragment: everything before the first #, the rest untouched', () => {
    assert.equal(withoutFragment('https://a.test/p?q=1#frag'), 'https://a.test/p?q=1');
    assert.equal(withoutFragment('https://a.test/p#a#b'), 'https://a.test/p');
    assert.equal(withoutFragment('https://a.test/p?#'), 'https://a.test/p?');
    assert.equal(withoutFragment('https://a.test/p'), 'https://a.test/p');
  });

  test('hrefOf: what the URL parser gives (without the fragment), whether the string is parsed or not', () => {
    const parsed = (input: string) => withoutFragment(new URL(input).href);
    // Strings the parser gives back unchanged, and strings it rewrites (case, default port,
    // dot segments, encoding, IPv4 forms, punycode, user info, an empty path...).
    const samples = [
      'http://127.0.0.1:41234/fresh',
      'https://api.example.com/v1/users/123?page=2&sort=name#top',
      'http://localhost:3000/a//b/c.json?',
      'https://a.test/%7Euser/x_y;v=1?q=%20&r=a/b?c',
      'HTTP://A.test/',
      'http://a.test:80/',
      'https://a.test:443/x',
      'https://a.test:0443/x',
      'http://a.test:65536/',
      'http://a.test',
      'http://a.test/a/./b/../c',
      'http://a.test/a/%2E%2e/b',
      'http://a.test/a/.',
      'http://a.test/a\\b',
      'http://a.test/a b?c d',
      "http://a.test/?q='x'",
      'http://a.test/é?ü',
      'http://a.test/{x}|^`[y]',
      'http://127.1/',
      'http://0x7f.0.0.1/',
      'http://010.0.0.1/',
      'http://1.2.3.4.5/',
      'http://a.0x1/',
      'http://a.123/',
      'http://xn--nxasmq6b.com/',
      'http://user:pa55@a.test/',
      'http://a.test./',
      'http://[::1]:8080/',
      ' http://a.test/ ',
      'http://a.test/\tb',
    ];
    for (const input of samples) {
      let want: string;
      try {
        want = parsed(input);
      } catch {
        assert.throws(() => hrefOf(input), TypeError, input);
        continue;
      }
      assert.equal(hrefOf(input), want, input);
    }
    // Random strings from the pieces the parser treats specially.
    const pieces = [
      'a',
      'Z',
      '0',
      '9',
      '255',
      '256',
      '.',
      '..',
      '-',
      '_',
      ':',
      ':80',
      ':443',
      ':0',
      ':8080',
      ':99999',
      '/',
      '//',
      '\\',
      '?',
      '#',
      '%',
      '%2e',
      '%41',
      ' ',
      '"',
      "'",
      '<',
      '`',
      '{',
      '^',
      '|',
      '[',
      '@',
      'é',
      'xn--',
      'com',
      '/./',
      '/../',
    ];
    for (let i = 0; i < 20_000; i++) {
      let input = i % 2 ? 'http://' : 'https://';
      for (let n = 1 + (i % 9); n > 0; n--)
        input += pieces[(i * 7919 + n * 104729) % pieces.length]!;
      let want: string | undefined;
      try {
        want = parsed(input);
      } catch {
        want = undefined;
      }
      if (want === undefined) assert.throws(() => hrefOf(input), TypeError, input);
      else assert.equal(hrefOf(input), want, input);
    }
    // A URL and a Request: their own serialization.
    assert.equal(hrefOf(new URL('HTTP://A.test/x#f')), 'http://a.test/x');
    assert.equal(hrefOf(new Request('https://a.test:443/x?y#f')), 'https://a.test/x?y');
  });

  test('signalOf: init.signal wins over the Request’s; signal: null means none', () => {
    const a = new AbortController();
    const b = new AbortController();
    const request = new Request('https://example.com/', { signal: a.signal });
    assert.equal(signalOf('https://example.com/'), undefined);
    assert.equal(signalOf('https://example.com/', { signal: b.signal }), b.signal);
    assert.equal(signalOf(request, { signal: null }), undefined);
    // A Request's own signal follows the one it was made with.
    const own = signalOf(request);
    assert.ok(own);
    a.abort(new Error('stop'));
    assert.equal(own.aborted, true);
  });
});

describe('describeCall and callLabel', () => {
  test('give the method and the URL with credentials removed', () => {
    assert.deepEqual(describeCall('https://u:p@example.com/x?token=t&a=1', { method: 'post' }), {
      method: 'POST',
      url: 'https://***:***@example.com/x?token=***&a=1',
    });
    assert.equal(callLabel(new URL('https://example.com/')), 'GET https://example.com/');
  });

  test('a string that is not a URL is described as written, user info hidden', () => {
    assert.deepEqual(describeCall('//u:p@example.com/x'), {
      method: 'GET',
      url: '//***@example.com/x',
    });
  });
});

describe('sameOrigin', () => {
  test('scheme, host and port must all match; opaque origins never match', () => {
    const u = (s: string) => new URL(s);
    assert.equal(sameOrigin(u('https://example.com/a'), u('https://example.com:443/b')), true);
    assert.equal(sameOrigin(u('https://example.com/'), u('http://example.com/')), false);
    assert.equal(sameOrigin(u('https://example.com/'), u('https://example.com:8443/')), false);
    assert.equal(sameOrigin(u('https://a.example.com/'), u('https://example.com/')), false);
    assert.equal(sameOrigin(u('data:text/plain,a'), u('data:text/plain,a')), false);
  });
});

describe('describeRequest', () => {
  test('the call as hooks see it: URL, method and headers, never the body', () => {
    const request = describeRequest('http://example.com/a', {
      method: 'post',
      headers: { 'x-id': '1' },
      body: 'secret body',
    });
    assert.equal(request?.url, 'http://example.com/a');
    assert.equal(request?.method, 'POST');
    assert.equal(request?.headers.get('x-id'), '1');
    assert.equal(request?.body, null);
  });

  test("a method the platform refuses in a Request (TRACE) is still the call's, not GET", () => {
    for (const method of ['TRACE', 'CONNECT', 'TRACK']) {
      const request = describeRequest('http://example.com/a', { method, headers: { 'x-id': '1' } });
      assert.equal(request?.method, method);
      assert.equal(request?.url, 'http://example.com/a');
      assert.equal(request?.headers.get('x-id'), '1');
    }
  });
});
