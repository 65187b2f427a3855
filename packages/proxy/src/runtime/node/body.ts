// Request bodies as fetch extracts them (the Fetch standard's "extract a body"): the bytes
// and their Content-Type, so that every body whose length is known goes out with a
// Content-Length; only a stream is sent chunked.
import { Readable } from 'node:stream';
import { defaultReplayLimit, isStream, ownedBytes, Response } from '@fetchstack/core/internal';

/**
 * A body ready for undici: bytes or a `Blob` (length known, can be sent again; a Blob is
 * streamed, never read into memory first) or a one-shot stream.
 */
export type Body = Uint8Array | Blob | FormBody | AsyncIterable<Uint8Array> | null;

/**
 * A `FormData` holding more file bytes than the replay limit: encoded by the platform afresh
 * for each send (its files streamed, not held); its length worked out without reading the
 * files (the platform's boundaries all have one length).
 */
export class FormBody {
  constructor(
    readonly form: FormData,
    readonly length: number,
  ) {}
  /** The multipart stream of one send, and its Content-Type (with that encoding's boundary). */
  encode(): { stream: ReadableStream<Uint8Array>; type: string | undefined } {
    const encoded = new Response(this.form);
    return {
      stream: encoded.body as ReadableStream<Uint8Array>,
      type: encoded.headers.get('content-type') ?? undefined,
    };
  }
}

/** Whether `body` can be sent again (a redirect, a dropped keep-alive socket). */
export function canResend(body: Body): body is Uint8Array | Blob | FormBody | null {
  return body === null || body instanceof Uint8Array || body instanceof FormBody || isBlob(body);
}

/** The length of a body that has one (-1 for a stream). */
export function lengthOf(body: Body): number {
  if (body === null) return 0;
  if (body instanceof Uint8Array) return body.byteLength;
  if (body instanceof FormBody) return body.length;
  return isBlob(body) ? body.size : -1;
}

/**
 * What one send hands undici: the bytes, or a fresh stream (a Blob's, a large FormData's own
 * encoding); the length it announces when known and not bytes (undici counts bytes itself);
 * a large FormData's Content-Type, with this encoding's boundary.
 */
export function forSend(body: Body): {
  body: Uint8Array | Readable | null;
  length?: number;
  type?: string | undefined;
} {
  if (body === null || body instanceof Uint8Array) return { body };
  if (body instanceof FormBody) {
    const { stream, type } = body.encode();
    return { body: Readable.from(stream), length: body.length, type };
  }
  // A Blob is streamed: undici would read it whole first.
  if (isBlob(body)) return { body: Readable.from(body.stream()), length: body.size };
  return { body: Readable.from(body) };
}

/** The bytes of the files in `form`. */
function fileBytes(form: FormData): number {
  let total = 0;
  for (const [, value] of form) if (typeof value !== 'string') total += value.size;
  return total;
}

/**
 * The length of `form`'s multipart encoding, its files unread: a part's framing depends on its
 * name, file name and type only, so it is the encoding of the same form with every file empty,
 * plus the files' sizes.
 */
async function encodedLength(form: FormData): Promise<number> {
  const framing = new FormData();
  let files = 0;
  for (const [name, value] of form) {
    if (typeof value === 'string') framing.append(name, value);
    else {
      files += value.size;
      framing.append(name, new File([], value.name, { type: value.type }));
    }
  }
  return (await new Response(framing).arrayBuffer()).byteLength + files;
}

export interface Extracted {
  body: Body;
  /** The Content-Type fetch adds when the caller set none. */
  type: string | undefined;
}

const encoder = new TextEncoder();

function isFormData(value: object): value is FormData {
  return (
    (typeof FormData !== 'undefined' && value instanceof FormData) ||
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'FormData'
  );
}

function isBlob(value: object): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

function isAsyncIterable(value: object): value is AsyncIterable<Uint8Array> {
  return (
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/**
 * fetch's body extraction, for `init.body`: a promise only for FormData (read first). (A stream
 * on a keepalive request is refused before: `checkInitAsNodeFetch`.)
 */
export function extract(value: unknown): Extracted | Promise<Extracted> {
  if (value === null || value === undefined) return { body: null, type: undefined };
  if (typeof value === 'string') {
    return { body: encoder.encode(value), type: 'text/plain;charset=UTF-8' };
  }
  if (typeof value === 'object') {
    if (value instanceof URLSearchParams) {
      return {
        body: encoder.encode(value.toString()),
        type: 'application/x-www-form-urlencoded;charset=UTF-8',
      };
    }
    // fetch copies bytes when called: later changes to the caller's buffer are not sent. A
    // session's own copy (made when it was called) is sent as it is.
    if (ownedBytes.has(value)) return { body: value as Uint8Array, type: undefined };
    if (value instanceof ArrayBuffer)
      return { body: new Uint8Array(value.slice(0)), type: undefined };
    if (ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return { body: bytes.slice(), type: undefined };
    }
    // Streamed when sent, with its size as Content-Length, as fetch sends it: a file opened
    // with `fs.openAsBlob()` is never held in memory whole.
    if (isBlob(value)) return { body: value, type: value.type || undefined };
    if (isFormData(value)) {
      // Large files (say from `fs.openAsBlob()`) are streamed at each send, never held whole.
      if (fileBytes(value) > defaultReplayLimit) {
        // Its entries as they are now (a later append by the caller is not sent, as with fetch).
        const form = new FormData();
        for (const [name, entry] of value) form.append(name, entry);
        return encodedLength(form).then((length) => ({
          body: new FormBody(form, length),
          type: undefined,
        }));
      }
      // The platform's own multipart encoder, so the bytes and the boundary's form are
      // exactly those of the runtime's fetch.
      const encoded = new Response(value);
      const type = encoded.headers.get('content-type') ?? undefined;
      return encoded.arrayBuffer().then((bytes) => ({ body: new Uint8Array(bytes), type }));
    }
    if (isStream(value) || isAsyncIterable(value)) {
      // A stream already read (sent before, or partly read by the caller) would go out empty
      // or cut short: fetch refuses it, with the same TypeError.
      if (isStream(value) && (value.locked || Readable.isDisturbed(value as never))) {
        throw new TypeError('Response body object should not be disturbed or locked');
      }
      return { body: value as AsyncIterable<Uint8Array>, type: undefined };
    }
  }
  // Anything else is converted to a string, as fetch's IDL conversion does.
  return { body: encoder.encode(String(value)), type: 'text/plain;charset=UTF-8' };
}
