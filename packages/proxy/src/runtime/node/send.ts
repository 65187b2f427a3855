// fetch, on undici's `request()`: what Node's own fetch does with a call, without the
// spec bookkeeping that costs undici's fetch most of its time (measured: several times
// fewer requests per second on the same sockets). The same request on the wire (default
// headers in the same order, Content-Length whenever the body's length is known) and the
// same Response back (status, statusText, headers, type 'basic', url, redirected, a body
// decoded as fetch decodes it and streamed with backpressure); redirects followed hop by
// hop as fetch follows them; the same errors (a TypeError for a network failure).
import { pipeline, type Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import {
  type AbortLike,
  abortOf,
  abortReason,
  type CallContext,
  callLabel,
  checkInitAsNodeFetch,
  contextKey,
  credentialHeaders,
  defaultReplayLimit,
  describeValue,
  Headers,
  type Input,
  isBadPort,
  isPlainRecord,
  isRequest,
  normalizeMethod,
  nullBodyStatus,
  ownedBytes,
  ownedHeaders,
  prepareReplay,
  Response,
  type ResponseMeta,
  redactErrorText,
  redactUrl,
  requestBodyHeaders,
  sameOrigin,
  serverResponse,
  signalOf,
  withoutFragment,
} from '@fetchstack/core/internal';
import type { Dispatcher } from 'undici';
import { networkError } from '../../network-error.js';
import { type Body, canResend, type Extracted, extract, forSend, lengthOf } from './body.js';
import { type Answer, exchange } from './exchange.js';
import { determineReferrer, legacyReferrer, parseReferrer } from './referrer.js';
import { staleConnection } from './stale.js';

/** Where one hop goes: the dispatcher, and how the request line and headers change for it. */
export interface Hop {
  dispatcher: Dispatcher;
  /** The proxy, when the hop goes through one. */
  proxy: URL | undefined;
  /** Plain http through a proxy: the request goes to the proxy in absolute form. */
  forward: boolean;
  /** `Proxy-Authorization` for a forwarded request, from the proxy URL's credentials. */
  authorization?: string;
}

/** What `send` needs from the transport. */
export interface Sender {
  /** The route for a URL (decided again on every redirect hop). */
  hop(url: URL): Hop;
  /** Turns an error of undici into what the caller gets (ProxyError, ...); `undefined`: a network error. */
  translate(error: unknown, hop: Hop, input: Input, init: RequestInit | undefined): unknown;
  /** undici's class for a Content-Length the body contradicts (the cause native fetch gives). */
  lengthMismatch(): Error;
  /** undici's class for a header it refuses (the cause native fetch gives). */
  invalidHeader(message: string): Error;
}

/**
 * Node 20 and 22 bundle undici 6, whose fetch refuses a `Connection` header other than `close`
 * or `keep-alive` (`Connection: upgrade`); Node 24's undici 7 takes any list of tokens, and so
 * does the undici 7 the transport sends with. Its other refusals (`Keep-Alive`,
 * `Transfer-Encoding`, `Upgrade`, `Expect`) are the same in both and come from undici itself.
 */
const strictConnection = Number(process.versions.undici?.split('.')[0] ?? 7) < 7;

/**
 * The call's state along a chain of redirects followed by a layer above (a session's redirect
 * layer calls the transport once per hop), by the chain's first URL: whether a hop has left
 * the first URL's origin (the response is then `cors`), and the referrer the last hop sent.
 */
const chains = new WeakMap<URL, { tainted: boolean; referrer: URL | undefined }>();

const redirectStatus = new Set([301, 302, 303, 307, 308]);
/** Validators: a request with one and the default cache mode goes out as no-store. */
const conditionals = new Set([
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'if-match',
  'if-range',
]);
/** Methods a stale keep-alive connection may be re-sent for (RFC 9110 idempotent methods). */
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const forbiddenMethods = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** Methods fetch allows with `mode: 'no-cors'` (the CORS-safelisted methods). */
const noCorsMethods = new Set(['GET', 'HEAD', 'POST']);
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const redirectModes = new Set<string>(['follow', 'manual', 'error']);
/** How the messages of what fetch refuses in a call name it. */
const callWhere = 'fetch(input, init)';

interface Call {
  url: URL;
  method: string;
  /** The caller's headers; `undefined` for none. */
  headers: Headers | undefined;
  body: Body;
  /** The Content-Type the body implies, unless the caller set one. */
  type: string | undefined;
  /** What aborts the call: its signal, or the abort a timeout above armed without one. */
  signal: AbortLike | undefined;
  redirect: RequestRedirect;
  integrity: string | undefined;
  /** The caller's header names as spelled and in the order given, when a Headers object loses either. */
  order: string[] | undefined;
  /** `sec-fetch-mode`: the request's mode. */
  mode: string;
  /** The call's cache mode (`undefined`: default). A cache layer above handles the mode itself and passes none. */
  cache: RequestCache | undefined;
  /** The caller's referrer, when it is a URL. */
  referrer: URL | undefined;
  referrerPolicy: string;
}

/** Sends `(input, init)` as Node's fetch would, through `sender`'s dispatchers. */
export async function send(
  sender: Sender,
  input: Input,
  init: RequestInit | undefined,
): Promise<Response> {
  // Most calls are prepared without waiting (no body to read): no turn of the event loop for them.
  const prepared = prepare(input, init);
  const call = prepared instanceof Promise ? await prepared : prepared;
  const { signal } = call;
  if (signal?.aborted) throw abortReason(signal);
  let { url, method, headers, body } = call;
  let type = call.type;
  // A hop of a redirect a layer above follows: the state of the hops before it.
  const chain = init ? (init as { [contextKey]?: CallContext })[contextKey]?.redirect : undefined;
  const initial = chain ? chain.initial : url;
  const before = chain && chains.get(chain.initial);
  // Whether a hop went to another origin than the first URL's (fetch's response tainting).
  let tainted = before ? before.tainted : false;
  // What the previous hop sent as its referrer (fetch determines each hop's from it).
  let referrer = before ? before.referrer : call.referrer;
  if (chain && !before && referrer) {
    referrer = determineReferrer(referrer, call.referrerPolicy, initial, initial);
  }
  for (let hop = 0; ; hop++) {
    if (isBadPort(url)) throw networkError(new Error('bad port'), input, init);
    if (url !== initial && !tainted && !sameOrigin(url, initial)) tainted = true;
    if (tainted && call.mode === 'same-origin') {
      throw networkError(
        new Refused('request mode cannot be "same-origin"', 'FETCHSTACK_MODE_REFUSED'),
        input,
        init,
      );
    }
    if (referrer) referrer = determineReferrer(referrer, call.referrerPolicy, url, initial);
    if (chain) chains.set(chain.initial, { tainted, referrer });
    const route = sender.hop(url);
    const data = await dispatch(
      sender,
      route,
      {
        url,
        method,
        headers,
        body,
        type,
        signal,
        order: call.order,
        mode: call.mode,
        cache: call.cache,
        referrer,
      },
      input,
      init,
    );
    const status = data.statusCode;
    const location = redirectStatus.has(status) ? first(data.headers.location) : undefined;
    if (location === undefined || call.redirect === 'manual') {
      return respond(data, method, url, hop > 0, signal, call.integrity, tainted);
    }
    // Read (up to a limit) and drop the redirect's body, so its socket can serve the next hop.
    await data.body.dump(65_536);
    if (call.redirect === 'error') {
      throw networkError(new Error('unexpected redirect'), input, init);
    }
    if (hop >= 20) throw networkError(new Error('redirect count exceeded'), input, init);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch (error) {
      // The URL parser's error repeats the Location and the URL it was read against (`input`
      // and `base`): their credentials and secret parameters hidden, as in the error's `url`.
      redactErrorText(error, url);
      redactErrorText(error, location);
      throw networkError(error, input, init);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw networkError(new Error('URL scheme must be a HTTP(S) scheme'), input, init);
    }
    if (next.username || next.password) {
      throw networkError(new Error('redirect to a URL with credentials'), input, init);
    }
    if (
      (status === 303 && method !== 'GET' && method !== 'HEAD') ||
      ((status === 301 || status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = null;
      type = undefined;
      headers = new Headers(headers);
      for (const name of requestBodyHeaders) headers.delete(name);
    } else if (!canResend(body)) {
      // A stream was read by the first hop: fetch cannot send it again either.
      throw networkError(
        new Error('the request body is a stream, which cannot be sent again to follow a redirect'),
        input,
        init,
      );
    }
    if (!sameOrigin(next, url)) {
      headers = new Headers(headers);
      for (const name of credentialHeaders) headers.delete(name);
    }
    url = next;
  }
}

/**
 * Reads a call the way fetch's Request constructor does; throws its TypeErrors. A promise
 * only when a body must be read first (a Blob, FormData or a Request's body).
 */
function prepare(input: Input, init: RequestInit | undefined): Call | Promise<Call> {
  const request = isRequest(input) ? input : undefined;
  let url: URL;
  const text = request ? request.url : input instanceof URL ? input.href : String(input);
  try {
    url = new URL(text);
  } catch (cause) {
    // The parser's own error keeps the text as its `input`: redacted there too.
    redactErrorText(cause, text);
    throw new TypeError(`Failed to parse URL from ${redactUrl(text)}`, { cause });
  }
  if (url.username || url.password) {
    throw new TypeError(
      `Request cannot be constructed from a URL that includes credentials: ${redactUrl(url)}`,
    );
  }
  if (init) {
    // fetch checks keepalive against the init's body only (a Request's own body was checked
    // when the Request was made).
    checkInitAsNodeFetch(init, callWhere, init.keepalive ?? request?.keepalive);
    if (init.redirect !== undefined && !redirectModes.has(init.redirect)) {
      throw new TypeError(
        `${callWhere}: init.redirect must be 'follow', 'manual' or 'error', as fetch requires; got ${describeValue(init.redirect)}.`,
      );
    }
  }
  const rawMethod = init?.method ?? request?.method ?? 'GET';
  if (!token.test(rawMethod)) throw new TypeError(`'${rawMethod}' is not a valid HTTP method.`);
  if (forbiddenMethods.has(rawMethod.toUpperCase())) {
    throw new TypeError(`'${rawMethod}' HTTP method is unsupported.`);
  }
  const method = normalizeMethod(rawMethod);
  const given = init?.headers ?? request?.headers;
  // Copied, as fetch copies them when it is called (a caller may change its own later, while a
  // body is read, or before a redirect hop); a session's own for this call are nobody else's.
  const headers =
    given === undefined
      ? undefined
      : ownedHeaders.has(given)
        ? (given as Headers)
        : new Headers(given);
  const givenMode = init?.mode ?? request?.mode;
  const mode = givenMode === 'no-cors' || givenMode === 'same-origin' ? givenMode : 'cors';
  if (mode === 'no-cors' && !noCorsMethods.has(method)) {
    throw new TypeError(`'${method}' is unsupported in no-cors mode.`);
  }
  // A Request's own referrer: Node 24's fetch never sends it (its Request constructor resets it
  // for the init fetch passes); Node 20 and 22 send it unless the init sets a referrer policy.
  const referrer = parseReferrer(
    init?.referrer ??
      (legacyReferrer && init?.referrerPolicy === undefined ? request?.referrer : undefined),
  );
  const initBody = init?.body ?? null;
  const call = (body: unknown, from: RequestInit | undefined): Call | Promise<Call> => {
    if (body !== null && (method === 'GET' || method === 'HEAD')) {
      throw new TypeError('Request with GET/HEAD method cannot have body.');
    }
    const made = (extracted: Extracted): Call => ({
      url,
      method,
      headers,
      body: extracted.body,
      type: extracted.type,
      signal: abortOf(input, init),
      redirect: from?.redirect ?? request?.redirect ?? 'follow',
      integrity: init?.integrity ?? (request?.integrity || undefined),
      order: orderOf(init?.headers),
      mode,
      cache: init?.cache ?? request?.cache,
      referrer,
      referrerPolicy: referrer ? (init?.referrerPolicy ?? request?.referrerPolicy ?? '') : '',
    });
    const extracted = extract(body);
    return extracted instanceof Promise ? extracted.then(made) : made(extracted);
  };
  if (initBody === null && request && request.body !== null) {
    if (request.bodyUsed)
      throw new TypeError(
        'Cannot construct a Request with a Request object that has already been used.',
      );
    if (!fromKnownLength(request.body)) return call(request.body, init);
    // Read it (bounded by the replay limit) so that its length is known and it goes out
    // with a Content-Length, as fetch sends it; a longer one goes out chunked.
    const bare: RequestInit = { ...init };
    delete bare.body;
    return prepareReplay(request, bare, defaultReplayLimit, signalOf(input, init)).then(
      (replay) => {
        // Longer than the limit: the Request's own body, still unread, is read as it comes.
        if (replay.notReplayable) {
          return asItComes(request.body as ReadableStream<Uint8Array>).then((body) =>
            call(body, init),
          );
        }
        const [, replayInit] = replay.args();
        return call(replayInit?.body ?? null, replayInit);
      },
    );
  }
  return call(initBody, init);
}

/**
 * A Request's body of known length, longer than the replay limit: the platform hands the bytes
 * it made from a string, bytes or URLSearchParams as one chunk (its own copy, not read again),
 * which then goes out with its Content-Length as fetch sends it; a body that comes in several
 * chunks (a file's Blob, read piece by piece) goes out as it comes, chunked, never held whole.
 */
async function asItComes(
  stream: ReadableStream<Uint8Array>,
): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  const reader = stream.getReader();
  const first = await reader.read();
  if (first.done) return new Uint8Array(0);
  const second = await reader.read();
  if (second.done) {
    // Nobody else holds these bytes: sent as they are, not copied again.
    ownedBytes.add(first.value);
    return first.value;
  }
  return (async function* () {
    yield first.value;
    yield second.value;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      yield chunk.value;
    }
  })();
}

/**
 * Whether a Request's body stream was made by the platform from a body of known length
 * (string, bytes, Blob, FormData, URLSearchParams) rather than given as a stream by the
 * caller. A Request only shows a stream either way; the platform makes byte streams for
 * the bodies it extracts, which take a BYOB reader, where streams written by callers are
 * almost always default streams (a caller's own byte stream is read as one of known length).
 */
function fromKnownLength(body: ReadableStream<Uint8Array>): boolean {
  try {
    body.getReader({ mode: 'byob' }).releaseLock();
    return true;
  } catch {
    return false;
  }
}

interface Attempt {
  url: URL;
  method: string;
  headers: Headers | undefined;
  body: Body;
  type: string | undefined;
  signal: AbortLike | undefined;
  order?: string[] | undefined;
  mode?: string;
  cache?: RequestCache | undefined;
  /** The referrer this hop sends. */
  referrer?: URL | undefined;
}

/**
 * The header names of a plain object or `[name, value]` pairs as the caller spelled them, in
 * the order given (a name given twice: its first spelling and place), which Node's fetch keeps
 * on the wire; `undefined` when iterating the `Headers` made of them gives the same (names in
 * lower case, already sorted). A `Headers` object or a `Request` gives its names back in
 * lower case and sorted only.
 */
function orderOf(headers: HeadersInit | undefined): string[] | undefined {
  if (headers === undefined || headers === null || typeof headers !== 'object') return undefined;
  const names = Array.isArray(headers)
    ? headers.map((pair) => String(pair[0]))
    : isPlainRecord(headers)
      ? Object.keys(headers)
      : undefined;
  if (names === undefined) return undefined;
  let previous = '';
  let plain = true;
  for (const name of names) {
    if (name <= previous || name !== name.toLowerCase()) {
      plain = false;
      break;
    }
    previous = name;
  }
  if (plain) return undefined;
  const seen = new Set<string>();
  const order: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    order.push(name);
  }
  return order;
}

/**
 * One hop's request, re-sent once on a new connection when a pooled keep-alive connection
 * turned out closed or reset before any byte of the response arrived (the server or a proxy
 * had dropped it just as it was reused), for an idempotent method whose body can be sent
 * again: what browsers and Go's net/http do. A POST is never sent twice this way. `exchange`
 * rejects only before the response's head; a failure after it errors the body instead.
 */
async function dispatch(
  sender: Sender,
  route: Hop,
  a: Attempt,
  input: Input,
  init: RequestInit | undefined,
): Promise<Answer> {
  const options = requestOptions(sender, route, a, input, init);
  const head = a.method === 'HEAD';
  try {
    return await exchange(route.dispatcher, options, a.signal, head);
  } catch (error) {
    if (a.signal?.aborted) throw abortReason(a.signal);
    if (staleConnection(error) && idempotent.has(a.method) && canResend(a.body)) {
      try {
        // Made again: a Blob's or a FormData's stream was read by the first try.
        return await exchange(
          route.dispatcher,
          requestOptions(sender, route, a, input, init),
          a.signal,
          head,
        );
      } catch (again) {
        if (a.signal?.aborted) throw abortReason(a.signal);
        throw sender.translate(again, route, input, init);
      }
    }
    throw sender.translate(error, route, input, init);
  }
}

function requestOptions(
  sender: Sender,
  route: Hop,
  a: Attempt,
  input: Input,
  init: RequestInit | undefined,
): Dispatcher.DispatchOptions {
  const list: string[] = [];
  if (route.forward) list.push('host', a.url.host);
  let declared: string | undefined;
  let hasType = false;
  let conditional = false;
  let range = false;
  // Where the caller's Accept-Encoding and Referer values are in `list` (fetch appends to them).
  let encodingAt = -1;
  let refererAt = -1;
  const seen = new Set<string>();
  const add = (value: string, name: string, spelled: string) => {
    // fetch never sends a caller's Host: the URL decides.
    if (name === 'host') return;
    if (name === 'content-length') {
      declared = value;
      return;
    }
    if (name === 'proxy-authorization') {
      // The proxy URL's credentials win over a caller's header, and go to the proxy only.
      if (route.authorization) return;
      // Through a tunnel the header would reach the origin, not the proxy.
      if (route.proxy && !route.forward) {
        throw new TypeError(
          `${callLabel(input, init)}: a Proxy-Authorization header cannot reach ${redactUrl(route.proxy)} on an https:// request (it would go through the tunnel, to the server); put the proxy's credentials in the proxy URL (http://user:password@host:port), which is sent with the CONNECT.`,
        );
      }
    }
    if (name === 'content-type') hasType = true;
    else if (name === 'accept-encoding') encodingAt = list.length + 1;
    else if (name === 'referer') refererAt = list.length + 1;
    else if (name === 'range') range = true;
    else if (name.startsWith('if-') && conditionals.has(name)) conditional = true;
    else if (name === 'connection' && strictConnection) {
      const token = value.toLowerCase();
      if (token !== 'close' && token !== 'keep-alive') {
        throw networkError(
          sender.invalidHeader(
            `invalid connection header: this version of Node's fetch takes only Connection: close or keep-alive, and refuses ${JSON.stringify(value)}`,
          ),
          input,
          init,
        );
      }
    }
    seen.add(name);
    list.push(spelled, value);
  };
  const headers = a.headers;
  if (headers && a.order) {
    for (const spelled of a.order) {
      const name = spelled.toLowerCase();
      const value = headers.get(name);
      if (value !== null) add(value, name, spelled);
    }
  } else {
    headers?.forEach((value, name) => {
      add(value, name, name);
    });
  }
  if (route.forward && route.authorization) list.push('proxy-authorization', route.authorization);
  // A large FormData is encoded for this send: its Content-Type names this encoding's boundary.
  const sent = forSend(a.body);
  const type = sent.type ?? a.type;
  if (!hasType && type !== undefined) list.push('content-type', type);
  // What Node's fetch adds, in its order, where the caller did not set them.
  if (!seen.has('accept')) list.push('accept', '*/*');
  if (!seen.has('accept-language')) list.push('accept-language', '*');
  if (a.referrer) {
    if (refererAt === -1) list.push('referer', a.referrer.href);
    else list[refererAt] += `, ${a.referrer.href}`;
  }
  if (!seen.has('sec-fetch-mode')) list.push('sec-fetch-mode', a.mode ?? 'cors');
  // Node's fetch says `node`, never `undici`.
  if (!seen.has('user-agent')) list.push('user-agent', 'node');
  // What the cache mode adds (the Fetch standard): a request with a validator and the default
  // mode is sent as no-store, since its answer is not one a cache could reuse.
  const cache =
    conditional && (a.cache === undefined || a.cache === 'default') ? 'no-store' : a.cache;
  if (cache === 'no-cache') {
    if (!seen.has('cache-control')) list.push('cache-control', 'max-age=0');
  } else if (cache === 'no-store' || cache === 'reload') {
    if (!seen.has('pragma')) list.push('pragma', 'no-cache');
    if (!seen.has('cache-control')) list.push('cache-control', 'no-cache');
  }
  // A range of the encoded bytes would be of no use: fetch asks for identity (added to the
  // caller's own Accept-Encoding, as fetch appends it). Brotli is offered over https only.
  if (range) {
    if (encodingAt === -1) list.push('accept-encoding', 'identity');
    else list[encodingAt] += ', identity';
  } else if (encodingAt === -1) {
    list.push(
      'accept-encoding',
      a.url.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate',
    );
  }
  if (declared !== undefined) {
    // Without a body undici sends the length it has (0 for POST, PUT, PATCH; none for GET), as
    // Node's fetch does: only a body of another length contradicts the caller's header.
    const length = a.body === null ? -1 : lengthOf(a.body);
    // A Content-Length the body contradicts fails at once, on a new connection as on a reused one.
    if (length !== -1 && /^\d+$/.test(declared.trim()) && Number(declared) !== length) {
      throw networkError(sender.lengthMismatch(), input, init);
    }
    list.push('content-length', declared);
  } else if (sent.length !== undefined) {
    list.push('content-length', String(sent.length));
  }
  return {
    origin: route.forward && route.proxy ? route.proxy.origin : a.url.origin,
    path: route.forward
      ? `${a.url.origin}${a.url.pathname}${searchOf(a.url)}`
      : `${a.url.pathname}${searchOf(a.url)}`,
    method: a.method as Dispatcher.HttpMethod,
    headers: list,
    body: sent.body,
  };
}

/** Node 24's fetch keeps the `?` of an empty query (`/path?`); older ones drop it, as `search` does. */
const keepsEmptyQuery = Number(process.versions.node.split('.')[0]) >= 24;

function searchOf(url: URL): string {
  if (url.search !== '' || !keepsEmptyQuery) return url.search;
  return withoutFragment(url.href).endsWith('?') ? '?' : '';
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The Response for a final answer (an integrity check reads the whole body first). */
function respond(
  data: Answer,
  method: string,
  url: URL,
  redirected: boolean,
  signal: AbortLike | undefined,
  integrity: string | undefined,
  tainted: boolean,
): Response | Promise<Response> {
  let body: ReadableStream<Uint8Array> | null = null;
  if (nullBodyStatus.has(data.statusCode) || method === 'HEAD') data.body.dump().catch(() => {});
  else {
    const coding = data.headers['content-encoding'];
    body = coding
      ? toWeb(
          decode(data.body.readable(), Array.isArray(coding) ? coding.join(', ') : coding),
          signal,
        )
      : data.body.stream();
  }
  // fetch's response tainting: `cors` once a redirect left the first URL's origin.
  const meta: ResponseMeta = { url: url.href, redirected, type: tainted ? 'cors' : 'basic' };
  if (integrity && body) {
    return checked(body, integrity).then((bytes) => response(data, bytes, meta));
  }
  return response(data, body, meta);
}

/**
 * A Response over `body` with the answer's status, reason phrase and headers, dressed with
 * `meta` (a status the constructor refuses, such as 999, still shows as the server sent it).
 */
function response(
  data: Answer,
  body: ReadableStream<Uint8Array> | null,
  meta: ResponseMeta,
): Response {
  try {
    const made = serverResponse(body, data.statusCode, data.statusText, meta);
    // The headers go straight into the Response's own (given to the constructor, a Headers
    // would be copied into it).
    const headers = made.headers;
    const fields = data.headers;
    for (const name in fields) {
      const value = fields[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.append(name, value);
    }
    return made;
  } catch (error) {
    // A status or header the platform refuses: the body will not be read.
    body?.cancel().catch(() => {});
    throw error;
  }
}

/** fetch decodes these codings, last applied first (and keeps Content-Encoding); any other: the bytes as sent. */
function decode(stream: Readable, header: string | null): Readable {
  if (!header) return stream;
  const codings = header.toLowerCase().split(',');
  if (codings.length > 5) {
    stream.destroy(new Error(`too many content-encodings in response: ${codings.length}`));
    return stream;
  }
  const decoders: NodeJS.ReadWriteStream[] = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]?.trim();
    const sync = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(zlib.createGunzip(sync));
    else if (coding === 'deflate') decoders.push(inflate(sync));
    else if (coding === 'br') {
      decoders.push(
        zlib.createBrotliDecompress({
          flush: zlib.constants.BROTLI_OPERATION_FLUSH,
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
        }),
      );
    } else if (coding === 'zstd' && zstd) decoders.push(zstd());
    else return stream;
  }
  // pipeline, not pipe: an error (or abort) of the socket's stream reaches the decoders.
  const last = decoders[decoders.length - 1] as unknown as Readable;
  pipeline([stream, ...decoders], () => {});
  return last;
}

/** Node (>= 22.15, 23.8) can decode zstd; fetch does there. */
const createZstd = (zlib as { createZstdDecompress?: () => NodeJS.ReadWriteStream })
  .createZstdDecompress;
const zstd = createZstd ? () => createZstd.call(zlib) : undefined;

/**
 * `deflate` as servers send it: zlib-wrapped (RFC 1950), or raw (as some do). A zlib stream
 * starts with a byte whose low four bits say "deflate" (8); anything else is taken as raw.
 */
function inflate(options: zlib.ZlibOptions): NodeJS.ReadWriteStream {
  let decoder: zlib.Inflate | zlib.InflateRaw | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!decoder) {
        decoder =
          ((chunk[0] ?? 0) & 0x0f) === 0x08
            ? zlib.createInflate(options)
            : zlib.createInflateRaw(options);
        decoder.on('data', (d: Buffer) => this.push(d));
        decoder.on('error', (e) => this.destroy(e));
      }
      decoder.write(chunk, () => done());
    },
    flush(done) {
      if (!decoder) return done();
      decoder.once('end', () => done());
      decoder.end();
    },
  });
}

/**
 * A web stream over a Node one, with backpressure. It ends one macrotask after the last chunk,
 * so undici has put the socket back in the pool when the caller's `await res.text()` returns
 * (a request sent right then reuses it instead of opening another).
 */
function toWeb(stream: Readable, signal: AbortLike | undefined): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stream.on('data', (chunk: Buffer) => {
          if (finished) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) stream.pause();
        });
        stream.once('end', () =>
          setImmediate(() => {
            if (finished) return;
            finished = true;
            controller.close();
          }),
        );
        stream.on('error', (error) => {
          if (finished) return;
          finished = true;
          controller.error(
            signal?.aborted ? abortReason(signal) : new TypeError('terminated', { cause: error }),
          );
        });
        stream.pause();
      },
      pull() {
        stream.resume();
      },
      cancel() {
        finished = true;
        stream.destroy();
      },
    },
    { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
  );
}

/**
 * A network error fetch's own rules make, with Node's fetch's message as the cause ('integrity
 * mismatch': the body did not match the call's `integrity`; 'request mode cannot be
 * "same-origin"'), and a code that tells a retry layer that sending again fails the same way.
 */
class Refused extends Error {
  constructor(
    message: string,
    readonly code: 'FETCHSTACK_INTEGRITY_MISMATCH' | 'FETCHSTACK_MODE_REFUSED',
  ) {
    super(message);
  }
}

/**
 * `integrity` (Subresource Integrity): the whole body is read and its digest compared with
 * the metadata's strongest algorithm; a mismatch is a network error, as in fetch.
 */
async function checked(
  body: ReadableStream<Uint8Array>,
  integrity: string,
): Promise<ReadableStream<Uint8Array>> {
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  const wanted = integrity
    .split(/\s+/)
    .map((item) => /^(sha256|sha384|sha512)-([A-Za-z0-9+/=_-]+)/i.exec(item))
    .filter((m): m is RegExpExecArray => m !== null);
  if (wanted.length > 0) {
    const rank = (alg: string) => ['sha256', 'sha384', 'sha512'].indexOf(alg.toLowerCase());
    const best = Math.max(...wanted.map((m) => rank(m[1] as string)));
    const strongest = wanted.filter((m) => rank(m[1] as string) === best);
    const alg = `SHA-${(strongest[0] as RegExpExecArray)[1]?.slice(3)}`;
    const digest = Buffer.from(await crypto.subtle.digest(alg, bytes)).toString('base64');
    const normal = (s: string) => s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    if (!strongest.some((m) => normal(m[2] as string) === normal(digest))) {
      throw new TypeError('fetch failed', {
        cause: new Refused('integrity mismatch', 'FETCHSTACK_INTEGRITY_MISMATCH'),
      });
    }
  }
  return new Response(bytes).body as ReadableStream<Uint8Array>;
}
