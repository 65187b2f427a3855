// The one way fetchstack re-dresses a Response. The constructor cannot set `url`,
// `redirected` or `type`, which the platform's fetch fills in; a layer that builds a new
// Response (around a watched body stream, say) or learns the final URL (after following
// redirects itself) gives them back here. A Response of the platform's class gets one
// prototype between it and `Response.prototype` whose getters read the values it was dressed
// with (`clone()` keeps them): no own property shows (`Object.keys`, `JSON.stringify` and a
// spread see what they see on fetch's own responses), and it costs about 50 ns a response on
// Node 20, where defining the three properties on the instance cost 1.1-1.4 µs.
import { withoutFragment } from './call.js';
import { Response } from './runtime.js';

/** Statuses whose response never has a body (the Response constructor refuses one). */
export const nullBodyStatus: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

export interface ResponseMeta {
  /** The final URL (fragment removed, as fetch does). */
  url: string;
  /** True when at least one redirect was followed. */
  redirected: boolean;
  /** `'basic'`, `'cors'`, ...: what the platform's fetch said. */
  type: ResponseType;
}

/**
 * A Response that stands for `source`: the same status, statusText and headers, over
 * `body` (default: `source`'s own stream, not copied), with `source`'s `url`, `redirected`
 * and `type` unless `meta` overrides them. Without a new `body`, `source` itself is
 * re-dressed and returned (no new object): what any layer above sees stays one Response.
 */
export function rewrap(
  source: Response,
  body?: ReadableStream<Uint8Array> | null,
  meta?: Partial<ResponseMeta>,
): Response {
  const url = meta?.url ?? source.url;
  const redirected = meta?.redirected ?? source.redirected;
  const type = meta?.type ?? source.type;
  const target =
    body === undefined
      ? source
      : new Response(nullBodyStatus.has(source.status) ? null : body, {
          status: source.status,
          statusText: source.statusText,
          headers: source.headers,
        });
  return dress(target, { url: withoutFragment(url), redirected, type });
}

/** Where a dressed Response keeps its values (read by the getters of `dressedPrototype`). */
const metaKey = Symbol('fetchstack.response');
type Dressed = Response & { [metaKey]: ResponseMeta };

/** Made on the first response dressed (a runtime without `Response` never makes it). */
let dressedPrototype: Response | undefined;

function makeDressedPrototype(): Response {
  const read = <K extends keyof ResponseMeta>(key: K) => ({
    get(this: Dressed): ResponseMeta[K] {
      return this[metaKey][key];
    },
    configurable: true,
  });
  return Object.create(Response.prototype, {
    url: read('url'),
    redirected: read('redirected'),
    type: read('type'),
    clone: {
      value: function clone(this: Dressed): Response {
        return dress(Response.prototype.clone.call(this), this[metaKey]);
      },
      writable: true,
      configurable: true,
    },
  }) as Response;
}

function dress(response: Response, meta: ResponseMeta): Response {
  try {
    const proto = Object.getPrototypeOf(response);
    if (proto === Response.prototype || proto === dressedPrototype) {
      (response as Dressed)[metaKey] = meta;
      if (proto === Response.prototype) {
        dressedPrototype ??= makeDressedPrototype();
        Object.setPrototypeOf(response, dressedPrototype);
      }
      return response;
    }
    // A Response of another class (another realm's, a polyfill's, a copy of fetchstack's):
    // the values as own properties, which its own getters cannot see past.
    const own = (value: unknown) => ({ value, enumerable: true, configurable: true });
    Object.defineProperties(response, {
      url: own(meta.url),
      redirected: own(meta.redirected),
      type: own(meta.type),
      clone: {
        configurable: true,
        value: function clone(this: Response): Response {
          return dress(Object.getPrototypeOf(response).clone.call(this), meta);
        },
      },
    });
  } catch {
    // A Response that takes neither (a frozen one) keeps the platform's values.
  }
  return response;
}
