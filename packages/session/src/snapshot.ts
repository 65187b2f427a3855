// What fetch reads when it is called: it makes its Request then, so a change the caller makes
// to its URL, init, headers or body afterwards changes nothing that is sent. A session's call
// may wait before its first try (its code loading, a limit slot, an async hook, a token
// refresh, a retry reading the body), so it takes the same copy when it is called.
import {
  describeValue,
  extendInit,
  Headers,
  isPlainRecord,
  isRequest,
  ownedBytes,
} from '@fetchstack/core/internal';

/**
 * `input` and `init` as they are now: a `URL` copied, `init` copied with copies of its headers
 * and of a body the caller could still change (bytes, `FormData`, `URLSearchParams`). Strings,
 * `Blob`s and `Request`s are kept (they cannot change, or are read as fetch reads them); a
 * stream is the caller's to feed. A body of a detached buffer throws, as fetch throws.
 */
export function snapshot(
  input: string | URL | Request,
  init: RequestInit | undefined,
): [string | URL | Request, RequestInit | undefined] {
  // Anything but a Request or a URL is read as a string, as fetch reads it (an object with a
  // toString(), a URL of another realm).
  const url =
    input instanceof URL
      ? new URL(input.href)
      : typeof input === 'string' || isRequest(input)
        ? input
        : String(input);
  if (init === undefined || init === null) return [url, undefined];
  if (typeof init !== 'object' && typeof init !== 'function') {
    throw new TypeError(
      `fetch(input, init): init must be an object (the options of the request), as fetch requires; got ${describeValue(init)}.`,
    );
  }
  const patch: { headers?: HeadersInit; body?: BodyInit } = {};
  const { headers, body } = init;
  if (headers != null && typeof headers === 'object') patch.headers = copyHeaders(headers);
  if (body != null && typeof body === 'object') {
    const copy = copyBody(body);
    if (copy !== body) patch.body = copy;
  }
  return [url, extendInit(init, patch)];
}

function copyHeaders(headers: HeadersInit): HeadersInit {
  if (headers instanceof Headers) return new Headers(headers);
  if (Array.isArray(headers)) return headers.map((pair) => [...pair] as [string, string]);
  // A plain object's `undefined` entries stay: the headers layer reads them as removals.
  if (isPlainRecord(headers)) return { ...headers };
  return headers;
}

function copyBody(body: BodyInit): BodyInit {
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const view = ArrayBuffer.isView(body) ? body : undefined;
    const bytes = view
      ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice()
      : new Uint8Array((body as ArrayBuffer).slice(0));
    // The transport beneath sends this copy as it is (no second copy of a large upload).
    ownedBytes.add(bytes);
    return bytes;
  }
  if (body instanceof URLSearchParams) return new URLSearchParams(body);
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    const copy = new FormData();
    for (const [name, value] of body) copy.append(name, value);
    return copy;
  }
  return body;
}
