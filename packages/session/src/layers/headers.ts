// The session's `headers` option: `session.headers`, a live `Headers` object read at each
// request; a mount's headers are merged over it (the mount's win).

import { definedHeaders, Headers, isPlainRecord } from '@fetchstack/core/internal';
import { type Layer, later, layer } from './layer.js';

export interface HeadersLayerOptions {
  /**
   * Default headers (an object, `[name, value]` pairs or a `Headers`): copied into
   * `session.headers`, a live `Headers` object read at each request. A header the call sets
   * wins (also over auth). In a mount: merged over the session's live headers.
   * @default {}
   * In a plain object, a header set to `undefined` is left out (as ky does), and in a mount it
   * removes the session's default of that name for the mount's URLs.
   * @example createSession({ headers: { 'User-Agent': 'my-app/1.0', Accept: 'application/json' } })
   */
  headers?: HeadersInit | Record<string, string | undefined> | undefined;
}

/** The names a plain-object `headers` sets to `undefined` (left out; a mount's remove them). */
export function unset(init: HeadersLayerOptions['headers']): string[] {
  if (!isPlainRecord(init)) return [];
  return Object.keys(init).filter((name) => init[name] === undefined);
}

/** `new Headers(init)`, with a message that names the option (`undefined` values left out). */
export function makeHeaders(init: HeadersLayerOptions['headers'], where: string): Headers {
  try {
    return definedHeaders(init);
  } catch (error) {
    throw new TypeError(
      `${where}: "headers" must be a Headers object, a plain object or [name, value] pairs, names tokens and values Latin-1 text without CR, LF or NUL (percent-encode other characters): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export const headersLayer: Layer<HeadersLayerOptions, true, false> = layer({
  name: 'headers',
  options: ['headers'],
  mount: true,
  perCall: false,
  build(values: HeadersLayerOptions, site) {
    const live = site.session.headers;
    // The session's own stack: its headers were copied into the live object.
    if (site.level === 'session' || values.headers === undefined) {
      return later((code) => code.headers(live));
    }
    const own = makeHeaders(values.headers, site.where);
    const removed = unset(values.headers);
    return later((code) =>
      code.headers(() => {
        const merged = new Headers(live);
        for (const name of removed) merged.delete(name);
        for (const [name, value] of own) merged.set(name, value);
        return merged;
      }),
    );
  },
});
