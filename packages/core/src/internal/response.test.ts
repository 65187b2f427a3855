import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nullBodyStatus, rewrap, serverResponse } from './response.js';

function source(status = 200, body: string | null = 'hello'): Response {
  return new Response(body, { status, statusText: 'Fine', headers: { 'x-a': '1' } });
}

describe('rewrap', () => {
  test('without a body, re-dresses the same Response with the given url, redirected and type', () => {
    const original = source();
    const out = rewrap(original, undefined, {
      url: 'https://example.com/final#frag',
      redirected: true,
    });
    assert.equal(out, original);
    assert.equal(out.url, 'https://example.com/final', 'the fragment is dropped, as fetch does');
    assert.equal(out.redirected, true);
    assert.equal(out.type, 'default');
  });

  test('over a new body, keeps status, statusText and headers, and the metadata', async () => {
    const original = source(201);
    const body = new Response('replaced').body;
    const out = rewrap(original, body, { url: 'https://example.com/x', type: 'basic' });
    assert.notEqual(out, original);
    assert.equal(out.status, 201);
    assert.equal(out.statusText, 'Fine');
    assert.equal(out.headers.get('x-a'), '1');
    assert.equal(out.url, 'https://example.com/x');
    assert.equal(out.type, 'basic');
    assert.equal(out.redirected, false);
    assert.equal(await out.text(), 'replaced');
  });

  test('clone() keeps the metadata', async () => {
    const out = rewrap(source(), undefined, { url: 'https://example.com/c', redirected: true });
    const copy = out.clone();
    assert.equal(copy.url, 'https://example.com/c');
    assert.equal(copy.redirected, true);
    assert.equal(await copy.text(), 'hello');
    assert.equal(await out.text(), 'hello');
  });

  test('adds no own property: keys, JSON and a spread see what they see on a plain Response', async () => {
    const out = rewrap(source(), undefined, { url: 'https://example.com/k', redirected: true });
    assert.ok(out instanceof Response);
    assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(out)), Response.prototype);
    assert.deepEqual(Object.keys(out), []);
    assert.equal(JSON.stringify(out), JSON.stringify(source()));
    for (const name of ['url', 'redirected', 'type', 'clone']) {
      assert.equal(Object.hasOwn(out, name), false, name);
    }
    assert.equal(out.headers.get('x-a'), '1');
    assert.equal(await out.clone().text(), 'hello');
    assert.equal(await out.text(), 'hello');
  });

  test('dressing again replaces the values (a redirect over the transport)', () => {
    const first = rewrap(source(), undefined, { url: 'https://example.com/a', type: 'basic' });
    const second = rewrap(first, undefined, { url: 'https://example.com/b', redirected: true });
    assert.equal(second, first);
    assert.equal(second.url, 'https://example.com/b');
    assert.equal(second.redirected, true);
    assert.equal(second.type, 'basic', 'what the new values leave out is kept');
    const other = rewrap(source(), undefined, { url: 'https://example.com/c' });
    assert.equal(other.url, 'https://example.com/c');
    assert.equal(first.url, 'https://example.com/b', 'each response keeps its own values');
  });

  test("a Response of another class (another realm's, a polyfill's) gets own properties", async () => {
    class Foreign extends Response {}
    const original = new Foreign('hello');
    const out = rewrap(original, undefined, { url: 'https://example.com/f', redirected: true });
    assert.equal(out, original);
    assert.equal(Object.getPrototypeOf(out), Foreign.prototype);
    assert.equal(Object.hasOwn(out, 'url'), true);
    assert.equal(out.url, 'https://example.com/f');
    assert.equal(out.redirected, true);
    const copy = out.clone();
    assert.equal(copy.url, 'https://example.com/f');
    assert.equal(await copy.text(), 'hello');
  });

  test('a null-body status gets no body, even when one is given', () => {
    assert.deepEqual([...nullBodyStatus].sort(), [101, 103, 204, 205, 304]);
    const out = rewrap(source(204, null), new Response('ignored').body);
    assert.equal(out.status, 204);
    assert.equal(out.body, null);
  });

  test('keeps its values where no reflection sees them: no own symbol, nothing a spread copies', () => {
    const out = rewrap(source(), new Response('x').body, { url: 'https://example.com/s' });
    // The platform's own (undici's internal symbols on Node), and nothing more.
    assert.deepEqual(Reflect.ownKeys(out), Reflect.ownKeys(source()));
    assert.deepEqual(Reflect.ownKeys({ ...out }), Reflect.ownKeys({ ...source() }));
    assert.equal(out.url, 'https://example.com/s');
  });

  test("over a new body, the headers are immutable as fetch's are (the clone's too)", async () => {
    const native = Response.error();
    const expected = (() => {
      try {
        native.headers.set('x', 'y');
      } catch (error) {
        return error as TypeError;
      }
    })();
    const out = rewrap(source(), new Response('x').body);
    for (const call of [
      () => out.headers.set('x-b', '2'),
      () => out.headers.append('x-b', '2'),
      () => out.headers.delete('x-a'),
      () => out.clone().headers.append('x-b', '2'),
    ]) {
      assert.throws(call, { name: 'TypeError', message: expected?.message });
    }
    assert.ok(out.headers instanceof Headers);
    assert.equal(out.headers.get('x-a'), '1');
    assert.deepEqual([...out.headers], [...source().headers]);
    assert.equal(await out.text(), 'x');
  });

  test('serverResponse: headers filled in the same job, then immutable before anyone gets it', async () => {
    const made = serverResponse('body', 200, 'OK', {
      url: 'http://h/x#f',
      redirected: false,
      type: 'basic',
    });
    made.headers.append('x-a', '1');
    made.headers.append('set-cookie', 'a=1');
    await Promise.resolve();
    assert.throws(() => made.headers.set('x-a', '2'), { name: 'TypeError' });
    assert.equal(made.headers.get('x-a'), '1');
    assert.deepEqual(made.headers.getSetCookie(), ['a=1']);
    assert.equal(made.url, 'http://h/x');
    assert.equal(await made.text(), 'body');
  });
});
