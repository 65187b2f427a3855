import { describeValue } from './internal/values.js';

/**
 * A function with the shape of the platform's `fetch`.
 *
 * Every fetchstack wrapper takes one of these and returns one, so wrappers stack
 * and the result can stand in for `globalThis.fetch`.
 */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A layer: given the fetch beneath it (`next`), returns a fetch that does something
 * before and/or after calling `next`.
 *
 * @example
 * const logging: Middleware = (next) => async function logging(input, init) {
 *   const res = await next(input, init);
 *   console.log(res.status);
 *   return res;
 * };
 */
export type Middleware = (next: Fetch) => Fetch;

export {
  FetchstackError,
  type FetchstackErrorCode,
  type FetchstackErrorOptions,
  isErrorNamed,
  isFetchstackError,
} from './error.js';

/** What `compose` accepts: a layer, or a hole (`undefined` or `false`) for an optional layer that is off. */
export type MiddlewareSlot = Middleware | undefined | false;

/**
 * Stacks layers into one layer. The first listed is the outermost: it sees the
 * call first and the response last (as tower's `ServiceBuilder` and koa do).
 *
 * `undefined` and `false` are skipped, so `compose(a, useB && b, c)` works;
 * anything else that is not a function is a `TypeError`, thrown here.
 *
 * @example
 * const stack = compose(headers({ Accept: 'application/json' }), retry());
 * const fetch2 = stack(fetch);
 */
export function compose(...middleware: MiddlewareSlot[]): Middleware {
  const layers: Middleware[] = [];
  middleware.forEach((layer, index) => {
    if (layer === undefined || layer === false) return;
    if (typeof layer !== 'function') {
      throw new TypeError(
        `compose(): argument ${index} is ${describeValue(layer)}, not a middleware. ` +
          'Pass functions of the form (next) => fetch, or undefined/false for a layer that is off.',
      );
    }
    layers.push(layer);
  });

  return function composed(next: Fetch): Fetch {
    assertFetch(next, 'the fetch passed to a composed middleware');
    let fetch = next;
    // Innermost first, so that layers[0] ends up outermost.
    for (let index = layers.length - 1; index >= 0; index--) {
      const layer = layers[index]!;
      const wrapped = layer(fetch);
      if (typeof wrapped !== 'function') {
        throw new TypeError(
          `compose(): the middleware at position ${index}${layer.name ? ` (${layer.name})` : ''} returned ${describeValue(wrapped)} instead of a fetch function.`,
        );
      }
      fetch = wrapped;
    }
    return fetch;
  };
}

/**
 * Wraps `fetch` in the given layers: `wrap(fetch, a, b)` is `compose(a, b)(fetch)`.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { headers } from '@fetchstack/headers';
 * const api = wrap(fetch, headers({ 'User-Agent': 'my-app/1.0' }));
 * await api('https://example.com/');
 */
export function wrap(fetch: Fetch, ...middleware: MiddlewareSlot[]): Fetch {
  assertFetch(fetch, 'wrap(): the first argument');
  return compose(...middleware)(fetch);
}

function assertFetch(value: unknown, what: string): asserts value is Fetch {
  if (typeof value !== 'function') {
    throw new TypeError(`${what} must be a fetch function, got ${describeValue(value)}.`);
  }
}
