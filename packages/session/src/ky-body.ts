// What session.client adds to ky's calls for their bodies, loaded with ky (see ky-client.ts).
import type { Options } from 'ky';
import type { Session } from './session.js';

// ky hands fetch a Request, whose body is a stream of unknown length. A Blob or FormData body
// (a file, a multipart upload) is kept from the call's options and given to the session
// beside the Request, so that it goes out as fetch sends it: with its Content-Length, a file
// streamed rather than held (on Node the session would otherwise send a long one chunked).
const kept = Symbol('fetchstack.kyBody');

interface Kept {
  body: Blob | FormData;
  /** The Request ky made with it; a hook that replaces the Request sends its own body. */
  request?: Request;
}

type WithKept = { fetchstack?: { [kept]?: Kept } };

function isFormData(value: unknown): value is FormData {
  return typeof FormData !== 'undefined' && value instanceof FormData;
}

/** ky's `init` hook: keeps a Blob or FormData body (a FormData's entries as they are now). */
export function keepBody(options: Options & WithKept): void {
  const { body } = options;
  if (options.onUploadProgress) return;
  let own: Blob | FormData;
  if (typeof Blob !== 'undefined' && body instanceof Blob) own = body;
  else if (isFormData(body)) {
    own = new FormData();
    for (const [name, value] of body) own.append(name, value);
  } else return;
  options.fetchstack = { ...options.fetchstack, [kept]: { body: own } };
}

/** ky's first `beforeRequest` hook: the Request ky made for the kept body. */
export function markRequest(state: { request: Request; options: unknown }): void {
  const box = (state.options as WithKept).fetchstack?.[kept];
  if (box) box.request = state.request;
}

/** The session, given the kept body beside ky's Request when that Request is the one sent. */
export function withKeptBody(session: Session): typeof fetch {
  return ((input: Request, init?: RequestInit & WithKept) => {
    const box = init?.fetchstack?.[kept];
    if (!box || box.request !== input) return session(input, init);
    // The Request's multipart type names the boundary of its own encoding, not the one sent.
    const headers = isFormData(box.body)
      ? [...input.headers].filter(([name]) => name !== 'content-type')
      : input.headers;
    return session(input, { ...init, body: box.body, headers });
  }) as typeof fetch;
}
