// Request bodies as fetch extracts them (the Fetch standard's "extract a body"): the bytes
// and their Content-Type, so that every body whose length is known goes out with a
// Content-Length; only a stream is sent chunked.
import { isStream, ownedBytes, Response } from '@fetchstack/core/internal';

/** A body ready for undici: bytes (length known, can be sent again) or a one-shot stream. */
export type Body = Uint8Array | AsyncIterable<Uint8Array> | null;

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

/** fetch's body extraction, for `init.body`: a promise only for a Blob or FormData (read first). */
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
    if (isBlob(value)) {
      const type = value.type || undefined;
      return value.arrayBuffer().then((bytes) => ({ body: new Uint8Array(bytes), type }));
    }
    if (isFormData(value)) {
      // The platform's own multipart encoder, so the bytes and the boundary's form are
      // exactly those of the runtime's fetch.
      const encoded = new Response(value);
      const type = encoded.headers.get('content-type') ?? undefined;
      return encoded.arrayBuffer().then((bytes) => ({ body: new Uint8Array(bytes), type }));
    }
    if (isStream(value) || isAsyncIterable(value)) {
      return { body: value as AsyncIterable<Uint8Array>, type: undefined };
    }
  }
  // Anything else is converted to a string, as fetch's IDL conversion does.
  return { body: encoder.encode(String(value)), type: 'text/plain;charset=UTF-8' };
}
