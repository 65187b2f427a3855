// Making a one-shot request body replayable: apart from body.ts so that a layer which sends
// its first try at once (retry, when the call has no body to read first; auth, unless the
// body must be read first) loads the buffering only when it needs it.
import { abortReason } from './abort.js';
import {
  concatBytes,
  defaultReplayLimit,
  directReplay,
  discard,
  isStream,
  isStreamBody,
  type Replay,
} from './body.js';
import { hasHeader, headersOf, type Input } from './call.js';
import { extendInit } from './context.js';
import { isRequest, Response, runtime } from './runtime.js';

/**
 * Makes a call's body replayable. Bodies fetch extracts afresh on every call (string,
 * bytes, Blob, FormData, URLSearchParams) are passed as they are. Any other body is read
 * into memory up to `max` bytes: a stream (`init.body`, or a `Request` input's body), an
 * async iterable (a Node `Readable`, an async generator), or an object of another kind,
 * which the platform's `Response` reads as its fetch would send it. A longer one (or one
 * that fails while read) is sent once, as a stream that first replays what was read, and
 * marked not replayable.
 * Call it only when a replay can happen: buffering an upload that is never re-sent is waste.
 */
export async function prepareReplay(
  input: Input,
  init: RequestInit | undefined,
  max: number = defaultReplayLimit,
  signal?: AbortSignal,
): Promise<Replay> {
  const direct = directReplay(input, init);
  if (direct) return direct;
  const initBody = init?.body;
  if (initBody !== undefined && initBody !== null) {
    // A stream on a keepalive request, which fetch refuses (such a request may outlive its
    // caller, so its body must be known whole): passed on unread, for the fetch beneath to
    // refuse with its own TypeError, not read into memory and sent as bytes.
    const keepalive = init?.keepalive ?? (isRequest(input) && input.keepalive);
    if (keepalive && isStreamBody(initBody)) return same(input, init);
    let stream: ReadableStream<Uint8Array> | null;
    let base = init;
    if (isStream(initBody)) stream = initBody;
    else {
      // The platform reads it as its fetch would (an async iterable chunk by chunk, an
      // object fetch turns into text as text, with the Content-Type fetch would add).
      const extracted = new Response(initBody as BodyInit);
      stream = extracted.body;
      const type = extracted.headers.get('content-type');
      if (type && !hasHeader(input, init, 'content-type')) {
        const headers = headersOf(input, init);
        headers.set('content-type', type);
        base = extendInit(init, { headers });
      }
    }
    const read = stream ? await readUpTo(stream, max, signal) : { bytes: new Uint8Array(0) };
    if (read.rest) return once(input, streamInit(base, read.rest), max);
    return same(input, extendInit(base, { body: read.bytes }));
  }
  if (!isRequest(input) || input.body === null) return same(input, init);

  // A Request whose body was read already: passed on as it is, so that the fetch beneath
  // refuses it with its own TypeError and message (not the terser one of `clone()`).
  if (input.bodyUsed) return same(input, init);
  // A Request with a body: its stream can be read only once. Read a copy of it (bounded) and
  // send each try as the same URL and init, with the bytes as the body. A longer one is sent
  // once as the Request itself, its own body still unread, so fetch sends it as it would
  // (with its Content-Length when its length is known, not chunked).
  const read = await readUpTo(input.clone().body!, max, signal);
  if (read.rest) {
    read.rest.cancel().catch(() => {});
    return once(input, init, max);
  }
  // Its fields first: Bun forgets the Content-Type its body gave a Request (a Blob's type,
  // FormData's boundary) once that body is cancelled, if `headers` was not read before.
  const fields = requestInit(input, init);
  // The Request's own branch of the copy holds the same bytes again: free them.
  discard(input);
  return same(input.url, extendInit(fields, { body: read.bytes }));
}

function same(input: Input, init: RequestInit | undefined): Replay {
  return { args: () => [input, init] };
}

function once(input: Input, init: RequestInit | undefined, max: number): Replay {
  return {
    args: () => [input, init],
    notReplayable: `the request body is a stream longer than the replay limit (${max} bytes), so it was sent once and cannot be replayed`,
  };
}

function streamInit(init: RequestInit | undefined, body: ReadableStream<Uint8Array>): RequestInit {
  // `duplex` is required by fetch for a stream body and missing from older DOM typings.
  return extendInit(init, { body, duplex: 'half' } as RequestInit);
}

/** The fields of a Request that an init can set, with the value each has when not set. */
const requestDefaults: [keyof Request & keyof RequestInit, unknown][] = [
  ['credentials', 'same-origin'],
  ['mode', 'cors'],
  ['cache', 'default'],
  ['referrer', 'about:client'],
  ['referrerPolicy', ''],
  ['integrity', ''],
  ['keepalive', false],
];

/** A Request's own fields as an init (its body aside); the caller's init wins. */
function requestInit(request: Request, init: RequestInit | undefined): RequestInit {
  const out: RequestInit = {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    redirect: request.redirect,
  };
  // What the layers beneath and the fetch read: `credentials: 'omit'` keeps the session's
  // auth and cookies off the call, `cache` decides what a cache sends. Only a field the Request
  // was made with (not its default, which a call that does not say has too). workerd throws on
  // fields it does not implement (mode, credentials, ...).
  if (runtime !== 'workerd') {
    for (const [key, unset] of requestDefaults) {
      const value = request[key];
      if (value !== unset && value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
  } else {
    // workerd's own field: Cloudflare's options (`cf: { cacheTtl, ... }`) for this request.
    const cf = (request as { cf?: unknown }).cf;
    if (cf !== undefined) (out as { cf?: unknown }).cf = cf;
  }
  return extendInit(out, init);
}

/**
 * Reads a stream into one buffer, or stops past `max` (or at a read error) and hands back a
 * stream of everything.
 */
async function readUpTo(
  stream: ReadableStream<Uint8Array>,
  max: number,
  signal: AbortSignal | undefined,
): Promise<
  | { bytes: Uint8Array<ArrayBuffer>; rest?: undefined }
  | { bytes?: undefined; rest: ReadableStream<Uint8Array> }
> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // The caller's abort stops a stream that is slow to end: cancelling it ends the pending read.
  const onAbort = () => {
    if (signal) reader.cancel(abortReason(signal)).catch(() => {});
  };
  if (signal?.aborted) throw abortReason(signal);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        if (signal?.aborted) throw abortReason(signal);
        // The caller's stream failed: it goes on as it is, so that fetch fails as it does for
        // such a body (Node's and Deno's with a TypeError whose cause is the stream's error).
        return { rest: prepend(chunks, reader) };
      }
      const { done, value } = next;
      if (signal?.aborted) throw abortReason(signal);
      if (done) break;
      const chunk: Uint8Array = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size > max) return { rest: prepend(chunks, reader) };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { bytes: concatBytes(chunks, size) };
}

function prepend(
  chunks: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const head = chunks.shift();
      if (head) return controller.enqueue(head);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
