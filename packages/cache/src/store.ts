// The store interface: where a cache keeps its responses. Small on purpose (get, set, delete),
// async, told how long an entry is worth keeping, with bodies as bytes, so that a store over
// Redis, SQLite, the Cache API or a file is a few lines of glue (see the README).

/**
 * One stored response: what the cache needs to answer a request from it later. Plain data
 * (strings, numbers, arrays, one `Uint8Array`), so a store may serialize it as it likes
 * (`JSON` with the body in base64, a structured clone, a database row).
 */
export interface CachedResponse {
  /** The response's URL (the URL the request asked for). */
  url: string;
  status: number;
  statusText: string;
  /** The response's headers as received, in order; each `Set-Cookie` line apart. */
  headers: [string, string][];
  /** The request headers the response's `Vary` names, lower-case (`null`: the request had none). */
  vary: Record<string, string | null>;
  /** The caching state of the response (when it was received, its freshness); opaque to stores. */
  policy: Record<string, unknown>;
  /** The body, whole. */
  body: Uint8Array;
}

/**
 * What a store keeps under one key (one URL): the stored responses for it, one per variant
 * when the response has `Vary` (the newest first).
 */
export interface CacheRecord {
  responses: CachedResponse[];
}

/** What `set()` is told besides the record. */
export interface CacheSetOptions {
  /**
   * How long the record is worth keeping, in ms (always > 0). After that the cache would not
   * use it: a store may drop it then (Redis `PX`, a SQL `expires` column), or earlier.
   */
  ttl: number;
}

/**
 * Where a cache keeps its records. Every method may return a value or a promise. A store that
 * throws (or rejects) never fails a request: the cache goes to the network instead and reports
 * the error (`onStoreError`).
 *
 * @example
 * // A store over any key-value API that keeps strings (here: a Map standing in for it).
 * const kv = new Map<string, string>();
 * const store: CacheStore = {
 *   get: (key) => (kv.has(key) ? decodeRecord(kv.get(key)!) : undefined),
 *   set: (key, record) => void kv.set(key, encodeRecord(record)),
 *   delete: (key) => void kv.delete(key),
 * };
 */
export interface CacheStore {
  /** The record under `key`, or `undefined`. */
  get(key: string): CacheRecord | undefined | Promise<CacheRecord | undefined>;
  /** Keeps `record` under `key`, replacing what was there. */
  set(key: string, record: CacheRecord, options: CacheSetOptions): void | Promise<void>;
  /** Forgets `key` (no error when it is not there). */
  delete(key: string): void | Promise<void>;
  /** Frees what the store holds open (connections, files). Optional. */
  close?(): void | Promise<void>;
}

/** About how many bytes a record takes: bodies, header text and a little for the rest. */
export function sizeOf(record: CacheRecord): number {
  let size = 0;
  for (const response of record.responses) {
    size += response.body.byteLength + response.url.length + 256;
    for (const [name, value] of response.headers) size += name.length + value.length + 4;
  }
  return size;
}

/**
 * A record as JSON text (the body in base64), for stores that keep strings.
 * `decodeRecord` reads it back.
 */
export function encodeRecord(record: CacheRecord): string {
  return JSON.stringify({
    responses: record.responses.map((response) => ({
      ...response,
      body: toBase64(response.body),
    })),
  });
}

/** A record from `encodeRecord`'s text. */
export function decodeRecord(text: string): CacheRecord {
  const parsed = JSON.parse(text) as {
    responses: (Omit<CachedResponse, 'body'> & { body: string })[];
  };
  return {
    responses: parsed.responses.map((response) => ({
      ...response,
      body: fromBase64(response.body),
    })),
  };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A record as bytes, for stores that keep bytes (the Cache API, SQLite, files): a 4-byte
 * length, the record's JSON without bodies, then the bodies one after the other.
 * `unpackRecord` reads it back.
 */
export function packRecord(record: CacheRecord): Uint8Array {
  const meta = new TextEncoder().encode(
    JSON.stringify(
      record.responses.map(({ body, ...rest }) => ({ ...rest, size: body.byteLength })),
    ),
  );
  const total = 4 + meta.byteLength + record.responses.reduce((n, r) => n + r.body.byteLength, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, meta.byteLength);
  out.set(meta, 4);
  let offset = 4 + meta.byteLength;
  for (const response of record.responses) {
    out.set(response.body, offset);
    offset += response.body.byteLength;
  }
  return out;
}

/** A record from `packRecord`'s bytes. */
export function unpackRecord(bytes: Uint8Array): CacheRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as (Omit<
    CachedResponse,
    'body'
  > & { size: number })[];
  let offset = 4 + length;
  return {
    responses: meta.map(({ size, ...rest }) => {
      const body = bytes.slice(offset, offset + size);
      offset += size;
      return { ...rest, body };
    }),
  };
}
