// Request bodies: which can be sent twice as they are, and discarding an unread one.
import type { Input } from './call.js';
import { isRequest, runtime } from './runtime.js';

/** True for a `ReadableStream` (a one-shot body), from any realm. */
export function isStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ReadableStream).getReader === 'function'
  );
}

/**
 * True for a body read as it is sent: a `ReadableStream` or an async iterable (a Node
 * `Readable`, an async generator). fetch wants `duplex: 'half'` with one, and refuses one on a
 * `keepalive` request.
 */
export function isStreamBody(value: unknown): boolean {
  return (
    isStream(value) ||
    (typeof value === 'object' && value !== null && Symbol.asyncIterator in value)
  );
}

/**
 * True for a body fetch extracts afresh on every call, so the same value can be sent again:
 * a string (or another primitive, which fetch turns into one), bytes, a `Blob`, `FormData`
 * or `URLSearchParams`. False for anything else: a `ReadableStream`, an async iterable (a
 * Node `Readable`, an async generator: Node's fetch, Deno's and Bun's take them), or an
 * object of a kind not listed; such a body may be gone once sent, so it is read first.
 * Known kinds are told by their tag, so a body from another realm counts too.
 */
export function isResendable(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return true;
  if (isStreamBody(body)) return false;
  return (
    ArrayBuffer.isView(body) ||
    /^\[object (ArrayBuffer|Blob|File|FormData|URLSearchParams)\]$/.test(
      Object.prototype.toString.call(body),
    )
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

/** True for a call with no body at all (no `init.body`, no Request body). */
export function hasNoBody(input: Input, init: RequestInit | undefined): boolean {
  const initBody = init?.body;
  if (initBody !== undefined && initBody !== null) return false;
  return !(isRequest(input) && requestHasBody(input) && !(init && 'body' in init));
}

/**
 * The replay of a call with no body at all (see `hasNoBody`), which `prepareReplay` would
 * also pass as it is: every try gets the call's own arguments.
 */
export function plainReplay(input: Input, init: RequestInit | undefined): Replay {
  return { args: () => [input, init] };
}

/**
 * The replay of a call whose body needs no reading first: none, or one that fetch extracts
 * afresh on every call (see `isResendable`), passed as it is. `undefined` when the body must
 * be read first: a stream, an async iterable or another kind (`init.body`), or a `Request`
 * input's body (`prepareReplay`, in replay.ts, does both).
 */
export function directReplay(input: Input, init: RequestInit | undefined): Replay | undefined {
  const initBody = init?.body;
  if (initBody !== undefined && initBody !== null) {
    return isResendable(initBody) ? { args: () => [input, init] } : undefined;
  }
  if (!isRequest(input) || input.body === null || (init && 'body' in init)) {
    return { args: () => [input, init] };
  }
  return undefined;
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

/** The bytes of `chunks` (`size` of them in all) in one array. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
