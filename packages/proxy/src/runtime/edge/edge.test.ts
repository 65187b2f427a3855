// The browser and Workers builds ("browser", "workerd" conditions), run here in Node: what
// they refuse, what 'env' means there, their error classes, and their transport over a real
// server on 127.0.0.1.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { FetchstackError, isFetchstackError } from '@fetchstack/core';
import * as server from '../../exports.js';
import * as browser from '../browser/index.js';
import * as workerd from '../workerd/index.js';

const builds = [
  ['browser', browser, /in a browser: the browser/],
  ['workerd', workerd, /in Cloudflare Workers: the platform/],
] as const;

const http = createServer((req, res) => res.end(`${req.method} ${req.url}`));
let origin = '';
before(async () => {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => http.close(() => resolve())));

for (const [runtime, build, place] of builds) {
  test(`${runtime}: every proxy shape is refused at creation, naming no proxy URL`, () => {
    const secret = 'http://user:s3cret@proxy.internal:3128';
    const shapes = [secret, new URL(secret), { http: secret }, { https: new URL(secret) }];
    for (const shape of shapes) {
      for (const make of [
        () => build.proxy(shape),
        () => build.createTransport({ proxy: shape }),
        () => build.proxy(shape, { tls: { ca: 'x' } }),
      ]) {
        const error = assert.throws(make, (e: unknown) => {
          assert.ok(build.isProxyUnsupportedError(e));
          assert.ok(e instanceof build.ProxyUnsupportedError);
          assert.ok(e instanceof FetchstackError);
          assert.equal(e.name, 'ProxyUnsupportedError');
          assert.equal(e.code, 'PROXY_UNSUPPORTED');
          assert.equal(e.runtime, runtime);
          assert.equal(e.option, 'proxy');
          assert.match(e.message, place);
          assert.match(e.message, /proxy settings apply\. Leave proxy out \(or use 'env'\)\./);
          assert.doesNotMatch(e.message, /s3cret|proxy\.internal|user/);
          return true;
        });
        assert.equal(error, undefined);
      }
    }
  });

  test(`${runtime}: tls, pool and connect are refused, each by name`, () => {
    for (const [option, value] of [
      ['tls', { tls: { rejectUnauthorized: false } }],
      ['pool', { pool: { connections: 2 } }],
      ['connect', { connect: 1000 }],
    ] as const) {
      for (const make of [() => build.createTransport(value), () => build.proxy('env', value)]) {
        assert.throws(make, (e: unknown) => {
          assert.ok(e instanceof build.ProxyUnsupportedError);
          assert.equal(e.option, option);
          assert.match(e.message, place);
          assert.match(
            e.message,
            new RegExp(`: ${option} cannot be set in .*Leave ${option} out\\.$`),
          );
          return true;
        });
      }
    }
  });

  test(`${runtime}: 'env' and false mean no proxy; bad options are a TypeError`, async () => {
    const base = (input: string | URL | Request, init?: RequestInit) => fetch(input, init);
    const layer = build.proxy('env');
    assert.equal(layer(base), base, "proxy('env') hands back the fetch beneath");
    await layer.close();
    for (const options of [undefined, {}, { proxy: 'env' as const }, { proxy: false as const }]) {
      await using transport = build.createTransport(options);
      assert.equal(await (await transport.fetch(`${origin}/x`)).text(), 'GET /x');
    }
    assert.throws(() => build.createTransport({ prxy: 'x' } as never), {
      name: 'TypeError',
      message: /createTransport\(\): unknown option "prxy"\. Did you mean "proxy"\?/,
    });
    assert.throws(() => build.createTransport('x' as never), {
      name: 'TypeError',
      message: /options must be an object, got the string "x"/,
    });
    assert.throws(() => build.proxy('env', 'x' as never), {
      name: 'TypeError',
      message: /proxy\(\): options must be an object/,
    });
    for (const target of [undefined, null, false]) {
      assert.throws(() => build.proxy(target as never), {
        name: 'TypeError',
        message: /proxy\(\): a target is required/,
      });
    }
    assert.throws(() => build.proxy('env', { proxy: 'x' } as never), {
      name: 'TypeError',
      message: /pass the proxy as the first argument/,
    });
  });

  test(`${runtime}: the error classes have the server build's names, codes and guards`, () => {
    const classes = [
      ['ProxyError', 'PROXY_REFUSED', build.ProxyError, build.isProxyError, server.ProxyError],
      [
        'ConnectTimeoutError',
        'CONNECT_TIMEOUT',
        build.ConnectTimeoutError,
        build.isConnectTimeoutError,
        server.ConnectTimeoutError,
      ],
      [
        'TransportClosedError',
        'TRANSPORT_CLOSED',
        build.TransportClosedError,
        build.isTransportClosedError,
        server.TransportClosedError,
      ],
    ] as const;
    for (const [name, code, Class, is] of classes) {
      assert.equal(Class.name, name);
      // This build's classes are made from a message (nothing here throws the first two).
      const error = new (Class as unknown as new (message: string) => Error)('m');
      assert.ok(error instanceof Class);
      assert.ok(error instanceof FetchstackError);
      assert.ok(error instanceof Error);
      assert.ok(isFetchstackError(error));
      assert.equal(error.name, name);
      assert.equal(Object.hasOwn(error, 'name'), true, 'an own name, as a class field makes');
      assert.equal((error as FetchstackError).code, code);
      assert.equal(error.message, 'm');
      assert.ok(is(error), `is${name}`);
      for (const [other, , , otherIs] of classes)
        if (other !== name) assert.equal(otherIs(error), false);
    }
    // The guards know the server build's errors, and the server build's guards know these.
    const closed = new server.TransportClosedError('http://a.test/');
    assert.ok(build.isTransportClosedError(closed));
    assert.ok(server.isTransportClosedError(new build.TransportClosedError('http://a.test/')));
    const timeout = new server.ConnectTimeoutError(5, 'http://a.test/', undefined);
    const failure = new TypeError('fetch failed', { cause: timeout });
    assert.ok(build.isConnectTimeoutError(failure));
    assert.equal(build.connectTimeoutOf(failure), timeout);
    assert.equal(build.connectTimeoutOf(new TypeError('fetch failed')), undefined);
    assert.equal(build.ProxyUnsupportedError, server.ProxyUnsupportedError, 'one class');
  });

  test(`${runtime}: a call after close() rejects with TransportClosedError, URL redacted`, async () => {
    const transport = build.createTransport();
    await transport.close();
    await transport.close();
    const url = `${origin.replace('//', '//user:pw@')}/x?token=abc&q=1`;
    const error = await transport.fetch(url, { method: 'post' }).then(
      () => assert.fail('resolved'),
      (e: unknown) => e as FetchstackError,
    );
    assert.ok(error instanceof build.TransportClosedError);
    assert.ok(build.isTransportClosedError(error));
    assert.equal(error.code, 'TRANSPORT_CLOSED');
    assert.equal(error.method, 'POST');
    const shown = `${origin.replace('//', '//***:***@')}/x?token=***&q=1`;
    assert.equal(error.url, shown);
    assert.equal(
      error.message,
      `POST ${shown}: this transport was closed (close() was called), so it has no sockets left; create a new one.`,
    );
  });

  test(`${runtime}: a network failure says which request; an abort reason is untouched`, async () => {
    await using transport = build.createTransport();
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const error = await transport.fetch(`http://127.0.0.1:${port}/y?secret=1`).then(
      () => assert.fail('resolved'),
      (e: unknown) => e as TypeError & { method: string; url: string; code: string },
    );
    assert.ok(error instanceof TypeError);
    assert.equal(error.method, 'GET');
    assert.equal(error.url, `http://127.0.0.1:${port}/y?secret=***`);
    assert.equal(error.code, 'ECONNREFUSED');
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    const aborted = await transport.fetch(`${origin}/z`, { signal: controller.signal }).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.equal(aborted, reason);
    // A Request's own signal: told apart once the failure is looked at.
    const request = new Request(`${origin}/z`, { signal: controller.signal });
    assert.equal(
      await transport.fetch(request).then(
        () => 'resolved',
        (e: unknown) => e,
      ),
      reason,
    );
    assert.equal(Object.hasOwn(reason, 'url'), false);
  });
}

test('a runtime the package does not know (the "default" condition) refuses the same way', async () => {
  // ../edge/index.ts, which ../default uses when the runtime is neither Deno nor Bun: here it
  // names the runtime it was loaded in, and its error classes are the server build's.
  const unknown = await import('./index.js');
  assert.throws(
    () => unknown.proxy('http://user:s3cret@proxy.internal:3128'),
    (e: unknown) => {
      assert.ok(e instanceof server.ProxyUnsupportedError);
      assert.equal(e.option, 'proxy');
      assert.match(
        e.message,
        /^proxy\(\): proxy cannot be set in this runtime \(node\): the runtime/,
      );
      assert.doesNotMatch(e.message, /s3cret|proxy\.internal/);
      return true;
    },
  );
  const transport = unknown.createTransport({ proxy: false });
  assert.equal(await (await transport.fetch(`${origin}/u`)).text(), 'GET /u');
  await transport.close();
  await assert.rejects(transport.fetch(`${origin}/u`), (e: unknown) => {
    assert.ok(e instanceof server.TransportClosedError);
    assert.match(
      (e as Error).message,
      /^GET http:\/\/127\.0\.0\.1:\d+\/u: this transport was closed/,
    );
    return true;
  });
});
