import { abortReason, headersOf, isRequest } from '@fetchstack/core/internal';

/** One call, as the layers beneath will see it. */
export interface Call {
  input: string | URL | Request;
  init: RequestInit | undefined;
}

/** True when the call already carries an `Authorization` header: the caller's wins. */
export function hasAuthorization(input: string | URL | Request, init?: RequestInit): boolean {
  return headersOf(input, init).has('authorization');
}

/** The call with `Authorization` set (a new init and `Headers`; the caller's objects are untouched). */
export function withAuthorization(call: Call, value: string): Call {
  const headers = headersOf(call.input, call.init);
  headers.set('authorization', value);
  return { input: call.input, init: { ...call.init, headers } };
}

function isStream(body: unknown): body is ReadableStream {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}

/**
 * The same call, with a body that can be sent more than once. Strings, bytes,
 * `Blob`, `FormData` and `URLSearchParams` are replayable as they are. A stream
 * (in `init.body`, or a `Request` input's one-shot body) is read into bytes
 * here: call this only when a replay can happen.
 *
 * A `Request` input keeps every field (mode, credentials, signal, ...) and its
 * headers; only its body is supplied by `init.body`, which the fetch standard
 * lets replace it. The caller's Request is cloned, so it stays unread.
 */
export async function replayable(call: Call): Promise<Call> {
  const { input, init } = call;
  const body = init?.body;
  if (body !== undefined && body !== null) {
    if (!isStream(body)) return call;
    const bytes = new Uint8Array(await new Response(body).arrayBuffer());
    return { input, init: { ...init, body: bytes } };
  }
  if (body === undefined && isRequest(input) && input.body !== null) {
    const bytes = new Uint8Array(await input.clone().arrayBuffer());
    return { input, init: { ...init, body: bytes } };
  }
  return call;
}

/** The signal that governs the call: `init.signal`, else the Request's own. */
export function signalOf(call: Call): AbortSignal | undefined {
  const signal = call.init?.signal ?? (isRequest(call.input) ? call.input.signal : undefined);
  return signal ?? undefined;
}

/** `promise`, or the signal's reason as soon as it aborts (the promise itself runs on). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Frees the connection a response we will not return holds (its body is never read).
 * Not awaited: nothing depends on the cancel finishing, and a runtime that is slow to
 * settle it must not hold up the replay.
 */
export function discard(response: Response): void {
  try {
    response.body?.cancel().catch(() => {});
  } catch {
    // Locked or already consumed: nothing is held by us.
  }
}

/** The header-safe check for credentials: no CR, LF or NUL (which would split headers). */
export function hasLineBreak(value: string): boolean {
  return /[\r\n\0]/.test(value);
}

/**
 * The URL a response answers, when the platform followed redirects itself (browsers,
 * or a call with the default `redirect: 'follow'` and no redirect layer): `undefined`
 * when it answers the URL we sent.
 */
export function redirectedTo(response: Response, sent: URL): URL | undefined {
  if (!response.redirected || !response.url) return undefined;
  try {
    const final = new URL(response.url);
    return final.href === new URL(sent.href.split('#')[0]!).href ? undefined : final;
  } catch {
    return undefined;
  }
}
