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
  /**
   * A status or reason phrase a server sent that the Response constructor refuses (a status
   * past 599, such as 999; a phrase with a character it does not take): what `status`,
   * `statusText` and `ok` say, as they say on fetch's own response.
   */
  odd?: { status: number; statusText: string } | undefined;
}

/** The reason phrases the Response constructor takes (HTTP's reason-phrase). */
const reasonPhrase = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * A Response with `status` and `statusText` as a server sent them, over `body`, dressed with
 * `meta` (the URL without its fragment, as fetch gives it): one the constructor refuses (status 999, say) gets a stand-in status
 * (200) and phrase (none) inside, and shows the server's through `status`, `statusText` and
 * `ok`, as fetch's own response does.
 */
export function serverResponse(
  body: BodyInit | null,
  status: number,
  statusText: string,
  meta: ResponseMeta,
): Response {
  const dressed = { ...meta, url: withoutFragment(meta.url) };
  if (fits(status, statusText)) return dress(new Response(body, { status, statusText }), dressed);
  return dress(new Response(body, { status: fits(status, '') ? status : 200 }), {
    ...dressed,
    odd: { status, statusText },
  });
}

/**
 * A Response that stands for `source`: the same status, statusText and headers (or
 * `headers`), over `body` (default: `source`'s own stream, not copied), with `source`'s `url`,
 * `redirected` and `type` unless `meta` overrides them. Without a new `body`, `source` itself is
 * re-dressed and returned (no new object): what any layer above sees stays one Response.
 */
export function rewrap(
  source: Response,
  body?: ReadableStream<Uint8Array> | null,
  meta?: Partial<ResponseMeta>,
  headers?: Headers,
): Response {
  const url = meta?.url ?? source.url;
  const redirected = meta?.redirected ?? source.redirected;
  const type = meta?.type ?? source.type;
  // A status the constructor refuses (one of ours with a stand-in, or the platform's own 999)
  // stays shown over the stand-in the new Response is made with.
  let odd = meta?.odd ?? (source as Partial<Dressed>)[metaKey]?.odd;
  let target = source;
  if (body !== undefined) {
    const { status, statusText } = source;
    if (!odd && !fits(status, statusText)) odd = { status, statusText };
    const inside = odd ? (statusGetter.call(source) as number) : status;
    target = new Response(nullBodyStatus.has(status) ? null : body, {
      status: odd ? (fits(inside, '') ? inside : 200) : status,
      statusText: odd ? '' : statusText,
      headers: headers ?? source.headers,
    });
  }
  return dress(target, { url: withoutFragment(url), redirected, type, odd });
}

/** Whether the Response constructor takes this status and reason phrase. */
function fits(status: number, statusText: string): boolean {
  return status >= 200 && status <= 599 && reasonPhrase.test(statusText);
}

const statusGetter = /* @__PURE__ */ (() =>
  typeof Response === 'function'
    ? Object.getOwnPropertyDescriptor(Response.prototype, 'status')!.get!
    : () => 0)();

/** Where a dressed Response keeps its values (read by the getters of `dressedPrototype`). */
const metaKey = Symbol('fetchstack.response');
type Dressed = Response & { [metaKey]: ResponseMeta };

/** Made on the first response dressed (a runtime without `Response` never makes it). */
let dressedPrototype: Response | undefined;
/** The same, with the `status`, `statusText` and `ok` of a response with `odd` values. */
let oddPrototype: Response | undefined;

function makeOddPrototype(): Response {
  dressedPrototype ??= makeDressedPrototype();
  const odd = (read: (odd: NonNullable<ResponseMeta['odd']>) => unknown) => ({
    get(this: Dressed) {
      return read(this[metaKey].odd!);
    },
    configurable: true,
  });
  return Object.create(dressedPrototype, {
    status: odd((o) => o.status),
    statusText: odd((o) => o.statusText),
    ok: odd((o) => o.status >= 200 && o.status <= 299),
  }) as Response;
}

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
    if (proto === Response.prototype || proto === dressedPrototype || proto === oddPrototype) {
      (response as Dressed)[metaKey] = meta;
      if (meta.odd) {
        oddPrototype ??= makeOddPrototype();
        if (proto !== oddPrototype) Object.setPrototypeOf(response, oddPrototype);
      } else if (proto !== dressedPrototype) {
        dressedPrototype ??= makeDressedPrototype();
        Object.setPrototypeOf(response, dressedPrototype);
      }
      return response;
    }
    // A Response of another class (another realm's, a polyfill's, a copy of fetchstack's):
    // the values as own properties, which its own getters cannot see past.
    const own = (value: unknown) => ({ value, enumerable: true, configurable: true });
    const { odd } = meta;
    if (odd) {
      Object.defineProperties(response, {
        status: own(odd.status),
        statusText: own(odd.statusText),
        ok: own(odd.status >= 200 && odd.status <= 299),
      });
    }
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
