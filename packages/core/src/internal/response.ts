// The one way fetchstack re-dresses a Response. The constructor cannot set `url`,
// `redirected` or `type`, which the platform's fetch fills in; a layer that builds a new
// Response (around a watched body stream, say) or learns the final URL (after following
// redirects itself) gives them back here. A Response of the platform's class gets one
// prototype between it and `Response.prototype` whose getters read the values it was dressed
// with (`clone()` keeps them): no own property shows (`Object.keys`, `JSON.stringify` and a
// spread see what they see on fetch's own responses), and it costs about 50 ns a response on
// Node 20, where defining the three properties on the instance cost 1.1-1.4 µs. That prototype
// is why `Object.getPrototypeOf(response) === Response.prototype` is false for such a response
// (`instanceof Response` holds): the platform offers no other way to give a Response a `url`.
// The values themselves sit in a private field (`#dressing`), which no reflection shows (no own
// symbol that `{ ...response }` or `Object.getOwnPropertySymbols` would see), at the cost of a
// property assignment (measured against a symbol-keyed property: the same; a WeakMap costs
// about twice as much).
//
// A Response made here (over a stream of ours, or for the Node transport) has immutable
// headers, as fetch's own has: its `Headers` gets a prototype whose `set`, `append` and
// `delete` throw the platform's TypeError (`instanceof Headers` holds). Bun: fetch's own
// responses have mutable headers there, and so do ours.
//
// Browsers: `text()`, `json()` and the other body methods of a Response over a stream of ours
// read through the stream's reader. Chromium's own report any error of a JavaScript body stream
// as `TypeError: Failed to fetch`, hiding the caller's abort reason and a read TimeoutError;
// a reader gets the stream's own error.
import { concatBytes } from './body.js';
import { withoutFragment } from './call.js';
import type { ResponseKind } from './globals.js';
import { Headers, Response, runtime } from './runtime.js';

/** Statuses whose response never has a body (the Response constructor refuses one). */
export const nullBodyStatus: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

export interface ResponseMeta {
  /** The final URL (fragment removed, as fetch does). */
  url: string;
  /** True when at least one redirect was followed. */
  redirected: boolean;
  /** `'basic'`, `'cors'`, ...: what the platform's fetch said. */
  type: ResponseKind;
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
  const dressed: Dressing = { ...meta, url: withoutFragment(meta.url), ours: body !== null };
  const made = fits(status, statusText)
    ? new Response(body, { status, statusText })
    : new Response(body, { status: fits(status, '') ? status : 200 });
  if (!fits(status, statusText)) dressed.odd = { status, statusText };
  // The Node transport puts the headers straight into this Response's own (a Headers given to
  // the constructor would be copied), in the same job: they are locked a microtask later, before
  // any promise can hand the Response on.
  lockSoon(made.headers);
  return dress(made, dressed);
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
  const before = Dressed.of(source);
  let odd = meta?.odd ?? before?.odd;
  let ours = before?.ours === true;
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
    lockHeaders(target.headers);
    ours = body !== null;
    // The new body keeps `source` alive while it is: in Deno, the caller's abort reaches a body
    // of fetch's through that Response's request, which is otherwise garbage once its body's
    // reader is all a layer keeps (measured: after a collection, an abort no longer errors it).
    if (body) sources.set(body, source);
  }
  return dress(target, { url: withoutFragment(url), redirected, type, odd, ours });
}

/** The Response each body made by `rewrap` stands for (see there). */
const sources = new WeakMap<object, Response>();

/** Whether the Response constructor takes this status and reason phrase. */
function fits(status: number, statusText: string): boolean {
  return status >= 200 && status <= 599 && reasonPhrase.test(statusText);
}

const statusGetter = /* @__PURE__ */ (() =>
  typeof Response === 'function'
    ? Object.getOwnPropertyDescriptor(Response.prototype, 'status')!.get!
    : () => 0)();

/** What a dressed Response reads: its meta, and whether its body is a stream of ours. */
interface Dressing extends ResponseMeta {
  /** The body is a JavaScript stream made by fetchstack (browsers read it through its reader). */
  ours?: boolean;
}

/** Returns the object its constructor is given, so that a subclass's field lands on it. */
class Stamped {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the way to give any object a private field
    return target;
  }
}

/**
 * The values of a dressed Response, in a private field added to the platform's Response (the
 * base class returns the Response, so the field is put on it): invisible to any reflection.
 */
class Dressed extends Stamped {
  #dressing: Dressing;
  private constructor(response: Response, dressing: Dressing) {
    super(response);
    this.#dressing = dressing;
  }
  /** Gives `response` these values (a second time replaces them). */
  static set(response: Response, dressing: Dressing): void {
    if (#dressing in response) (response as unknown as Dressed).#dressing = dressing;
    else new Dressed(response, dressing);
  }
  /** The values `response` was dressed with, if any. */
  static of(response: object): Dressing | undefined {
    return #dressing in response ? (response as Dressed).#dressing : undefined;
  }
  /** The values of a Response whose prototype is one of ours (so it has them). */
  static get(response: object): Dressing {
    return (response as Dressed).#dressing;
  }
}

/** Made on the first response dressed (a runtime without `Response` never makes it). */
let dressedPrototype: Response | undefined;
/** The same, with the `status`, `statusText` and `ok` of a response with `odd` values. */
let oddPrototype: Response | undefined;

function makeOddPrototype(): Response {
  dressedPrototype ??= makeDressedPrototype();
  const odd = (read: (odd: NonNullable<ResponseMeta['odd']>) => unknown) => ({
    get(this: Response) {
      return read(Dressed.get(this).odd!);
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
    get(this: Response): ResponseMeta[K] {
      return Dressed.get(this)[key];
    },
    configurable: true,
  });
  const properties: PropertyDescriptorMap = {
    url: read('url'),
    redirected: read('redirected'),
    type: read('type'),
    clone: {
      value: function clone(this: Response): Response {
        const copy = Response.prototype.clone.call(this);
        lockHeaders(copy.headers);
        return dress(copy, Dressed.get(this));
      },
      writable: true,
      configurable: true,
    },
  };
  if (runtime === 'browser') {
    for (const name of bodyMethods) {
      if (typeof Response.prototype[name] === 'function') properties[name] = readThrough(name);
    }
  }
  return Object.create(Response.prototype, properties) as Response;
}

const bodyMethods = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;

/**
 * Browsers: a body method that reads a body of ours through its reader, so that it rejects with
 * the stream's own error (Chromium's reports any as `TypeError: Failed to fetch`), then lets the
 * platform's method make the value from the bytes (its decoding, JSON parsing, Blob type and
 * form parsing). A body already used, locked or absent goes to the platform's method, which
 * says so as it always does.
 */
function readThrough(name: (typeof bodyMethods)[number]): PropertyDescriptor {
  const native = Response.prototype[name] as (this: Response) => Promise<unknown>;
  return {
    value: {
      [name](this: Response): Promise<unknown> {
        const body = this.body;
        if (!Dressed.of(this)?.ours || body === null || body.locked || this.bodyUsed) {
          return native.call(this);
        }
        const type = this.headers.get('content-type');
        return readAll(body).then((bytes) =>
          native.call(
            new Response(bytes, type === null ? undefined : { headers: { 'content-type': type } }),
          ),
        );
      },
    }[name],
    writable: true,
    configurable: true,
  };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      throw new TypeError('The body stream gave a chunk that is not a Uint8Array.');
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return concatBytes(chunks, size);
}

/**
 * `Headers` whose `set`, `append` and `delete` throw, as a fetch response's do; `null` where
 * fetch's own responses have mutable headers (Bun), as ours then have too.
 */
let lockedHeaders: Headers | null | undefined;

function makeLockedHeaders(): Headers | null {
  // Bun: fetch's own responses have mutable headers.
  if (runtime === 'bun') return null;
  // The platform's own words, where a Response.error()'s headers are immutable as the
  // standard has them (workerd's are not, though its fetch responses' are).
  let message = "Can't modify immutable headers.";
  try {
    Response.error().headers.set('x', 'y');
  } catch (error) {
    if (error instanceof TypeError) message = error.message;
  }
  const refuse = (name: string) => ({
    value: {
      [name](): never {
        throw new TypeError(message);
      },
    }[name],
    writable: true,
    configurable: true,
  });
  return Object.create(Headers.prototype, {
    set: refuse('set'),
    append: refuse('append'),
    delete: refuse('delete'),
  }) as Headers;
}

/** Makes a Response's own `headers` immutable, as fetch's are. */
function lockHeaders(headers: Headers): void {
  try {
    if (lockedHeaders === undefined) lockedHeaders = makeLockedHeaders();
    if (lockedHeaders === null || Object.getPrototypeOf(headers) !== Headers.prototype) return;
    Object.setPrototypeOf(headers, lockedHeaders);
  } catch {
    // Headers that take no prototype (a frozen one) stay as they are.
  }
}

/** Headers to lock at the next microtask (one microtask for all the responses of a job). */
let toLock: Headers[] | undefined;

function lockSoon(headers: Headers): void {
  if (toLock) {
    toLock.push(headers);
    return;
  }
  toLock = [headers];
  queueMicrotask(() => {
    const list = toLock!;
    toLock = undefined;
    for (const each of list) lockHeaders(each);
  });
}

function dress(response: Response, meta: Dressing): Response {
  try {
    const proto = Object.getPrototypeOf(response);
    if (proto === Response.prototype || proto === dressedPrototype || proto === oddPrototype) {
      Dressed.set(response, meta);
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
