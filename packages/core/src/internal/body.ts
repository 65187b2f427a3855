// Request bodies: what can be sent twice, and making a one-shot body replayable.
import { abortReason } from './abort.js';
import { type Input, isRequest } from './call.js';
import { extendInit } from './context.js';
import { runtime } from './runtime.js';

/** True for a `ReadableStream` (a one-shot body), from any realm. */
export function isStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ReadableStream).getReader === 'function'
  );
}

/**
 * Whether a `Request` may carry a body, asked without reading `request.body` where reading
 * it changes what is sent: in Deno, reading `.body` turns a string or bytes body into a
 * stream, which then goes out chunked instead of with its `Content-Length`. There, any
 * method but GET and HEAD may carry one (a layer that must know reads a clone).
 */
export function requestHasBody(request: Request): boolean {
  if (runtime === 'deno') return request.method !== 'GET' && request.method !== 'HEAD';
  return request.body !== null;
}

/**
 * The fetch standard's request-body-header names, plus `Content-Length`: dropped with the
 * body when a redirect turns a request into a GET without one.
 */
export const requestBodyHeaders: readonly string[] = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

/** How many bytes of a stream body are kept for a replay, unless a layer says otherwise. */
export const defaultReplayLimit = 4 * 1024 * 1024;

/** The arguments of each try of a call that may be sent more than once. */
export interface Replay {
  /** The arguments of the next try. */
  args(): [Input, RequestInit | undefined];
  /** Why the body cannot be sent twice, when it cannot. */
  notReplayable?: string;
}

/**
 * Makes a call's body replayable. Bodies fetch extracts afresh on every call (string,
 * bytes, Blob, FormData, URLSearchParams) are passed as they are. A stream (`init.body`,
 * or a `Request` input's body) is read into memory up to `max` bytes; a longer one is
 * sent once, as a stream that first replays what was read, and marked not replayable.
 * Call it only when a replay can happen: buffering an upload that is never re-sent is waste.
 */
export async function prepareReplay(
  input: Input,
  init: RequestInit | undefined,
  max: number = defaultReplayLimit,
  signal?: AbortSignal,
): Promise<Replay> {
  const initBody = init?.body;
  if (initBody !== undefined && initBody !== null) {
    if (!isStream(initBody)) return same(input, init);
    const read = await readUpTo(initBody, max, signal);
    if (read.rest) return once(input, streamInit(init, read.rest), max);
    return same(input, extendInit(init, { body: read.bytes }));
  }
  if (!isRequest(input) || input.body === null || (init && 'body' in init))
    return same(input, init);

  // A Request with a body: its stream can be read only once. Read it (bounded) and
  // send each try as the same URL and init, with the bytes as the body.
  const base = requestInit(input, init);
  const read = await readUpTo(input.body, max, signal);
  if (read.rest) return once(input.url, streamInit(base, read.rest), max);
  return same(input.url, extendInit(base, { body: read.bytes }));
}

/**
 * The replay of a call with no body at all (no `init.body`, no Request body), which
 * `prepareReplay` would also pass as it is; `undefined` when there is a body to look at.
 */
export function plainReplay(input: Input, init: RequestInit | undefined): Replay | undefined {
  const initBody = init?.body;
  if (initBody !== undefined && initBody !== null) return undefined;
  if (isRequest(input) && requestHasBody(input) && !(init && 'body' in init)) return undefined;
  return same(input, init);
}

function same(input: Input, init: RequestInit | undefined): Replay {
  return { args: () => [input, init] };
}

function once(input: Input, init: RequestInit, max: number): Replay {
  return {
    args: () => [input, init],
    notReplayable: `the request body is a stream longer than the replay limit (${max} bytes), so it was sent once and cannot be replayed`,
  };
}

function streamInit(init: RequestInit | undefined, body: ReadableStream<Uint8Array>): RequestInit {
  // `duplex` is required by fetch for a stream body and missing from older DOM typings.
  return extendInit(init, { body, duplex: 'half' } as RequestInit);
}

/** A Request's own fields as an init (its body aside); the caller's init wins. */
function requestInit(request: Request, init: RequestInit | undefined): RequestInit {
  const out: RequestInit = {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    redirect: request.redirect,
  };
  // workerd throws on fields it does not implement (mode, credentials, ...); browsers honour them.
  if (runtime === 'browser') {
    Object.assign(out, {
      credentials: request.credentials,
      mode: request.mode,
      cache: request.cache,
      referrer: request.referrer,
      referrerPolicy: request.referrerPolicy,
      integrity: request.integrity,
      keepalive: request.keepalive,
    });
  }
  return extendInit(out, init);
}

/** Reads a stream into one buffer, or stops past `max` and hands back a stream of everything. */
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
      const { done, value } = await reader.read();
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
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes };
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

/**
 * Frees what an unread body holds: the connection of a response we will not return, or the
 * spare copy of a request's body (a branch of a tee settles only when the other is done,
 * and the platform may send the original without reading it).
 * Not awaited: nothing depends on the cancel finishing, and a runtime that is slow to
 * settle it must not hold up what comes next.
 */
export function discard(message: { readonly body: ReadableStream | null } | undefined): void {
  try {
    message?.body?.cancel().catch(() => {});
  } catch {
    // Locked or already consumed: nothing is held by us.
  }
}
