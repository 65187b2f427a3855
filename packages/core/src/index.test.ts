import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compose, type Fetch, type Middleware, wrap } from './index.js';

/** A fetch that answers with the trail of layers the call went through. */
const echo: Fetch = async (input, init) =>
  new Response(new Headers(init?.headers).get('x-trail') ?? '', { status: 200 });

/** A layer that appends `name` to the `x-trail` header on the way down and to the body on the way up. */
function mark(name: string): Middleware {
  return (next) =>
    async function marked(input, init) {
      const headers = new Headers(init?.headers);
      headers.set('x-trail', `${headers.get('x-trail') ?? ''}${name}>`);
      const response = await next(input, { ...init, headers });
      return new Response(`${await response.text()}<${name}`);
    };
}

describe('compose', () => {
  test('the first layer listed sees the call first and the response last', async () => {
    const fetch = compose(mark('a'), mark('b'), mark('c'))(echo);
    assert.equal(await (await fetch('https://example.com/')).text(), 'a>b>c><c<b<a');
  });

  test('skips holes (undefined, false) and with no layer returns the fetch itself', async () => {
    const fetch = compose(undefined, mark('a'), false, mark('b'))(echo);
    assert.equal(await (await fetch('https://example.com/')).text(), 'a>b><b<a');
    assert.equal(compose()(echo), echo);
    assert.equal(compose(undefined, false)(echo), echo);
  });

  test('a stack of layers is itself a layer', async () => {
    const inner = compose(mark('b'), mark('c'));
    const fetch = compose(mark('a'), inner, mark('d'))(echo);
    assert.equal(await (await fetch('https://example.com/')).text(), 'a>b>c>d><d<c<b<a');
  });

  test('the function it returns has a name, for stack traces', () => {
    assert.equal(compose(mark('a')).name, 'composed');
  });

  test('junk is a TypeError when composing, naming its position and what it is', () => {
    assert.throws(() => compose(mark('a'), null as never), {
      name: 'TypeError',
      message:
        'compose(): argument 1 is null, not a middleware. Pass functions of the form (next) => fetch, or undefined/false for a layer that is off.',
    });
    assert.throws(
      () => compose('retry' as never),
      /argument 0 is the string "retry", not a middleware/,
    );
    assert.throws(() => compose('' as never), /argument 0 is the string "", not a middleware/);
    assert.throws(() => compose({} as never), /argument 0 is an object/);
    assert.throws(() => compose([] as never), /argument 0 is an array/);
    assert.throws(() => compose(0 as never), /argument 0 is number 0/);
  });

  test('a layer that does not return a fetch is named, with its position', () => {
    const broken: Middleware = function brokenLayer() {
      return 'nope' as never;
    };
    assert.throws(() => compose(mark('a'), broken)(echo), {
      name: 'TypeError',
      message:
        'compose(): the middleware at position 1 (brokenLayer) returned the string "nope" instead of a fetch function.',
    });
  });

  test('the composed layer refuses a next that is not a function', () => {
    assert.throws(
      () => compose(mark('a'))(undefined as never),
      /the fetch passed to a composed middleware must be a fetch function, got undefined\.$/,
    );
  });
});

describe('wrap', () => {
  test('wrap(fetch, a, b) is compose(a, b)(fetch)', async () => {
    const fetch = wrap(echo, mark('a'), undefined, mark('b'));
    assert.equal(await (await fetch('https://example.com/')).text(), 'a>b><b<a');
  });

  test('refuses a first argument that is not a fetch function', () => {
    assert.throws(() => wrap('https://example.com/' as never, mark('a')), {
      name: 'TypeError',
      message:
        'wrap(): the first argument must be a fetch function, got the string "https://example.com/".',
    });
    assert.throws(() => wrap(undefined as never), {
      message: 'wrap(): the first argument must be a fetch function, got undefined.',
    });
  });
});
