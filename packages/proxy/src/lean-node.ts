// The lean path for Node: undici's dispatcher `request()` instead of undici's `fetch`, which
// spends most of its time in the spec's bookkeeping (measured: several times fewer requests
// per second on the same sockets). It still returns what fetch would: a global Response with
// the final `url`, `redirected`, every header (Set-Cookie apart), a decompressed body that
// streams with backpressure; redirects followed as fetch does; the caller's abort reason.
// It takes the common calls (no body, or a string, bytes, URLSearchParams or Blob body);
// the rest (streams, FormData, a Request with a body, integrity) go to undici's fetch.
import { pipeline, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { abortReason, isRequest, methodOf } from '@fetchstack/core/internal';
import type { Dispatcher } from 'undici';
import request from 'undici/lib/api/api-request.js';
import { withMeta } from './response.js';

type Body = string | Uint8Array | null;

/** What the lean path needs from a call, or `undefined` when it must go to undici's fetch. */
export interface LeanCall {
  url: URL;
  method: string;
  headers: Headers;
  body: Body | Blob;
  signal: AbortSignal | undefined;
  redirect: RequestRedirect;
}

export function leanCall(
  input: string | URL | Request,
  init: RequestInit | undefined,
): LeanCall | undefined {
  let url: URL;
  let headers: Headers;
  let signal: AbortSignal | undefined;
  let redirect: RequestRedirect;
  if (isRequest(input)) {
    if (input.body !== null && init?.body === undefined) return undefined;
    if (init?.integrity || input.integrity) return undefined;
    url = new URL(input.url);
    headers = new Headers(init?.headers ?? input.headers);
    signal = init?.signal ?? input.signal;
    redirect = init?.redirect ?? input.redirect;
  } else {
    if (init?.integrity) return undefined;
    url = typeof input === 'string' ? new URL(input) : new URL(input.href);
    headers = new Headers(init?.headers);
    signal = init?.signal ?? undefined;
    redirect = init?.redirect ?? 'follow';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined; // fetch rejects these: let it say so
  const raw = init?.body ?? null;
  let body: Body | Blob;
  if (raw === null || raw === undefined) body = null;
  else if (typeof raw === 'string') {
    body = raw;
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
  } else if (raw instanceof URLSearchParams) {
    body = raw.toString();
    if (!headers.has('content-type'))
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
  } else if (raw instanceof ArrayBuffer) body = new Uint8Array(raw.slice(0));
  else if (ArrayBuffer.isView(raw))
    body = new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  else if (typeof Blob !== 'undefined' && raw instanceof Blob) {
    body = raw;
    if (raw.type && !headers.has('content-type')) headers.set('content-type', raw.type);
  } else return undefined;
  const method = methodOf(input, init);
  if ((method === 'GET' || method === 'HEAD') && body !== null) return undefined; // fetch's TypeError
  return { url, method, headers, body, signal: signal ?? undefined, redirect };
}

const redirectStatus = new Set([301, 302, 303, 307, 308]);
const nullBodyStatus = new Set([101, 103, 204, 205, 304]);
const contentHeaders = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

/** Sends `call` through `dispatcher`, following redirects as fetch does. */
export async function leanFetch(dispatcher: Dispatcher, call: LeanCall): Promise<Response> {
  const { signal } = call;
  if (signal?.aborted) throw abortReason(signal);
  let { url, method, headers } = call;
  let body: Body =
    call.body instanceof Blob ? new Uint8Array(await call.body.arrayBuffer()) : call.body;
  // What fetch adds when the caller did not (Node's fetch says `node`).
  if (!headers.has('accept')) headers.set('accept', '*/*');
  if (!headers.has('accept-language')) headers.set('accept-language', '*');
  if (!headers.has('sec-fetch-mode')) headers.set('sec-fetch-mode', 'cors');
  if (!headers.has('user-agent')) headers.set('user-agent', 'node');
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate, br');
  for (let hop = 0; ; hop++) {
    let data: Dispatcher.ResponseData;
    try {
      data = await request.call(dispatcher, {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers: flatten(headers),
        body,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      throw new TypeError('fetch failed', { cause: error });
    }
    const status = data.statusCode;
    const location = redirectStatus.has(status) ? firstValue(data.headers.location) : undefined;
    if (location === undefined || call.redirect === 'manual') {
      return toResponse(data, method, url, hop > 0, signal);
    }
    // Read (up to a limit) and drop the redirect's body, so its socket can serve the next hop.
    await data.body.dump({ limit: 65_536 }).catch(() => {});
    if (call.redirect === 'error')
      throw new TypeError('fetch failed', {
        cause: new Error(`unexpected redirect to ${location}`),
      });
    if (hop >= 20)
      throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new TypeError('fetch failed', {
        cause: new Error(`URL scheme must be a HTTP(S) scheme: ${next.protocol}`),
      });
    }
    if (
      (status === 303 && method !== 'GET' && method !== 'HEAD') ||
      ((status === 301 || status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = null;
      headers = new Headers(headers);
      for (const name of contentHeaders) headers.delete(name);
    }
    if (next.origin !== url.origin) {
      headers = new Headers(headers);
      for (const name of ['authorization', 'proxy-authorization', 'cookie', 'host'])
        headers.delete(name);
    }
    url = next;
  }
}

function flatten(headers: Headers): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) out.push(name, value);
  return out;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function toResponse(
  data: Dispatcher.ResponseData,
  method: string,
  url: URL,
  redirected: boolean,
  signal: AbortSignal | undefined,
): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(data.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  const status = data.statusCode;
  let body: ReadableStream<Uint8Array> | null = null;
  if (nullBodyStatus.has(status) || method === 'HEAD') data.body.dump().catch(() => {});
  else body = toWeb(decode(data.body, headers.get('content-encoding')), signal);
  const res = new Response(body, { status, headers });
  return withMeta(res, url.href, redirected);
}

/** fetch decodes these codings (and keeps Content-Encoding); others pass through as sent. */
function decode(stream: Readable, coding: string | null): Readable {
  const sync = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  let decoder: Transform;
  switch (coding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      decoder = zlib.createGunzip(sync);
      break;
    case 'deflate':
      decoder = zlib.createInflate(sync);
      break;
    case 'br':
      decoder = zlib.createBrotliDecompress();
      break;
    default:
      return stream;
  }
  // pipeline, not pipe: an error (or abort) of the socket's stream reaches the decoder.
  pipeline(stream, decoder, () => {});
  return decoder;
}

/**
 * A web stream over a Node one, with backpressure. It ends one macrotask after the last chunk,
 * so undici has put the socket back in the pool when the caller's `await res.text()` returns
 * (a request sent right then reuses it instead of opening another).
 */
function toWeb(stream: Readable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
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
