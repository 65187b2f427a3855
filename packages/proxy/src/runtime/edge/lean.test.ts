// The browser and Workers builds (runtime/browser, runtime/workerd): what they refuse and
// how, and their small error classes, against the classes every other runtime uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFetchstackError } from '@fetchstack/core';
import * as full from '../../exports.js';
import * as browser from '../browser/index.js';
import * as workerd from '../workerd/index.js';
import type * as edge from './index.js';
import { at, hide } from './lean-call.js';

// The "browser" and "workerd" conditions take their types from runtime/edge: the lean
// builds must have exactly that shape (checked by the type-check of the unit tests).
const typedAsEdge: [typeof edge, typeof edge] = [browser, workerd];

describe('hide() and at(): the URL and method of a call in a lean error', () => {
  it('hides credentials and secret query values, keeps the rest', () => {
    assert.equal(
      hide('https://user:s3cret@example.com/a?page=2&api_key=k1&Access_Token=t1#x'),
      'https://***@example.com/a?page=2&api_key=***&Access_Token=***#x',
    );
    assert.equal(hide('http://a@b@example.com/'), 'http://***@example.com/');
    assert.equal(hide('/relative?password=p&q=1'), '/relative?password=***&q=1');
    assert.equal(hide('https://example.com/@home?x=1'), 'https://example.com/@home?x=1');
  });

  it('reads the method as fetch does, from init or a Request', () => {
    assert.deepEqual(at('https://example.com/?token=t', { method: 'post' }), {
      method: 'POST',
      url: 'https://example.com/?token=***',
    });
    assert.equal(at('https://example.com/', { method: 'patch' }).method, 'patch');
    const request = new Request('https://example.com/r?secret=s', { method: 'PUT' });
    assert.deepEqual(at(request, undefined), {
      method: 'PUT',
      url: 'https://example.com/r?secret=***',
    });
    assert.deepEqual(at(new URL('https://example.com/u'), undefined), {
      method: 'GET',
      url: 'https://example.com/u',
    });
  });
});

describe('the browser build refuses what it cannot do, at creation', () => {
  const refusals: [string, () => unknown][] = [
    ['proxy', () => browser.proxy('http://127.0.0.1:3128')],
    ['proxy', () => browser.proxy(new URL('http://127.0.0.1:3128'))],
    ['proxy', () => browser.proxy({ https: 'http://127.0.0.1:3128' })],
    ['proxy', () => browser.createTransport({ proxy: 'http://127.0.0.1:3128' })],
    ['tls', () => browser.createTransport({ tls: { rejectUnauthorized: false } })],
    ['pool', () => browser.createTransport({ pool: { connections: 2 } })],
    ['connect', () => browser.createTransport({ connect: 1000 })],
    ['connect', () => browser.proxy('env', { connect: 1000 })],
  ];
  for (const [option, make] of refusals) {
    it(`${option}: ProxyUnsupportedError naming the option and what to do`, () => {
      const error = (() => {
        try {
          make();
        } catch (e) {
          return e as full.ProxyUnsupportedError;
        }
        assert.fail('not refused');
      })();
      assert.ok(error instanceof browser.ProxyUnsupportedError);
      assert.ok(full.isProxyUnsupportedError(error) && browser.isProxyUnsupportedError(error));
      assert.ok(isFetchstackError(error));
      assert.equal(error.code, 'PROXY_UNSUPPORTED');
      assert.equal(error.runtime, 'browser');
      assert.equal(error.option, option);
      assert.match(
        error.message,
        new RegExp(`^\\w+\\(\\): ${option} is not supported in a browser: `),
      );
      assert.match(error.message, /Leave/);
    });
  }

  it('Workers name themselves', () => {
    assert.throws(() => workerd.proxy('http://127.0.0.1:3128'), {
      name: 'ProxyUnsupportedError',
      runtime: 'workerd',
      message: /Cloudflare Workers \(workerd\): it routes requests itself \(Cloudflare's network\)/,
    });
  });

  it('bad options are a TypeError, worded as on servers', () => {
    assert.throws(() => browser.createTransport({ prxy: 'x' } as never), {
      name: 'TypeError',
      message:
        'createTransport(): unknown option "prxy". Did you mean "proxy"? Known options: proxy, tls, pool, connect.',
    });
    assert.throws(() => browser.createTransport('x' as never), {
      name: 'TypeError',
      message: /^createTransport\(\): options must be an object, got the string "x"/,
    });
    assert.throws(() => browser.proxy(undefined as never), {
      name: 'TypeError',
      message: /^proxy\(\): a target is required/,
    });
    assert.throws(() => browser.proxy('env', { proxy: 'http://127.0.0.1:3128' } as never), {
      name: 'TypeError',
      message: /^proxy\(\): pass the proxy as the first argument/,
    });
  });

  it("'env', false and nothing are the platform's fetch; proxy('env') changes nothing", async () => {
    const next = async () => new Response('x');
    const layer = browser.proxy('env');
    assert.equal(layer(next), next);
    await layer.close();
    for (const options of [undefined, {}, { proxy: false as const }, { proxy: 'env' as const }]) {
      await browser.createTransport(options).close();
    }
  });
});

describe('the browser transport', () => {
  it('rejects calls after close() with TransportClosedError, secrets hidden', async () => {
    const transport = browser.createTransport();
    await transport.close();
    await transport[Symbol.asyncDispose]();
    const error = await transport
      .fetch('http://127.0.0.1:2/x?api_key=s3cret', { method: 'delete' })
      .then(
        () => assert.fail('resolved'),
        (e: full.TransportClosedError) => e,
      );
    assert.ok(full.isTransportClosedError(error) && browser.isTransportClosedError(error));
    assert.ok(error instanceof browser.TransportClosedError);
    assert.equal(error.code, 'TRANSPORT_CLOSED');
    assert.equal(error.method, 'DELETE');
    assert.equal(error.url, 'http://127.0.0.1:2/x?api_key=***');
    assert.match(
      error.message,
      /^DELETE http:\/\/127\.0\.0\.1:2\/x\?api_key=\*\*\*: this transport was closed/,
    );
  });

  it('a network failure names its call (loaded on first failure), as on servers', async () => {
    await using transport = browser.createTransport();
    // Port 2: nothing listens there.
    const error = await transport.fetch('http://127.0.0.1:2/refused?api_key=s3cret').then(
      () => assert.fail('resolved'),
      (e: TypeError & { method?: string; url?: string }) => e,
    );
    assert.equal(error.name, 'TypeError');
    assert.equal(error.method, 'GET');
    assert.equal(error.url, 'http://127.0.0.1:2/refused?api_key=***');
  });
});

describe('the lean error classes match the full ones', () => {
  it('ProxyError: same name, codes, fields; no password in the message', () => {
    const proxyUrl = new URL('http://user:pa55@proxy.local:3128');
    const lean = new browser.ProxyError(0, proxyUrl, 'https://example.com/', undefined, '', {
      unreachable: 'ECONNREFUSED',
      cause: 'c',
    });
    const server = new full.ProxyError(0, proxyUrl, 'https://example.com/', undefined, '', {
      unreachable: 'ECONNREFUSED',
      cause: 'c',
    });
    for (const key of ['name', 'code', 'status', 'reason', 'method', 'url', 'cause'] as const) {
      assert.equal(lean[key], server[key], key);
    }
    assert.equal(lean.proxy, 'http://***@proxy.local:3128/');
    assert.ok(full.isProxyError(lean) && browser.isProxyError(server));
    assert.doesNotMatch(lean.message, /pa55/);
    assert.match(lean.message, /could not be reached \(ECONNREFUSED\)/);
    assert.equal(
      new browser.ProxyError(407, proxyUrl, 'https://e.com/', undefined, '').code,
      'PROXY_REFUSED',
    );
  });

  it('ConnectTimeoutError: same name, code and fields; found as the cause of a TypeError', () => {
    const lean = new browser.ConnectTimeoutError(300, 'https://example.com/', undefined);
    const server = new full.ConnectTimeoutError(300, 'https://example.com/', undefined);
    for (const key of ['name', 'code', 'ms', 'toProxy', 'method', 'url', 'message'] as const) {
      assert.equal(lean[key], server[key], key);
    }
    const failure = new TypeError('fetch failed', { cause: lean });
    assert.equal(browser.connectTimeoutOf(failure), lean);
    assert.ok(browser.isConnectTimeoutError(failure) && full.isConnectTimeoutError(lean));
    assert.equal(browser.connectTimeoutOf(new TypeError('x')), undefined);
    assert.equal(browser.isConnectTimeoutError(null), false);
  });

  it('every export of the full entry is in the lean one', () => {
    assert.equal(typedAsEdge.length, 2);
    assert.deepEqual(
      Object.keys(browser).sort(),
      [...Object.keys(full), 'createTransport', 'proxy'].sort(),
    );
    assert.deepEqual(Object.keys(workerd).sort(), Object.keys(browser).sort());
  });
});
