// Default headers given as a plain object, read as ky reads them.

import { Headers } from './runtime.js';
import { isPlainRecord } from './values.js';

/**
 * A `Headers` that counts its changes (`set`, `append`, `delete`), so that code reading it at
 * every request can keep what it learnt from it until it changes (`changesOf`). It is the class
 * of the default headers the session and `headers()` keep; to their users it is a `Headers`.
 */
export class LiveHeaders extends Headers {
  #changes = 0;
  override append(name: string, value: string): void {
    super.append(name, value);
    this.#changes++;
  }
  override set(name: string, value: string): void {
    super.set(name, value);
    this.#changes++;
  }
  override delete(name: string): void {
    super.delete(name);
    this.#changes++;
  }
  /** How many times `headers` changed, when it is a `LiveHeaders`; else `undefined`. */
  static changesOf(headers: Headers): number | undefined {
    return #changes in headers ? headers.#changes : undefined;
  }
}

/**
 * `new Headers(init)` (a `LiveHeaders`), except that a plain object's `undefined` entries are left out (as ky
 * leaves them out), never sent as the text "undefined"; their names are still checked. A bad
 * name or value throws the platform's `TypeError`.
 */
export function definedHeaders(
  init: HeadersInit | Record<string, string | undefined> | undefined,
): LiveHeaders {
  if (!isPlainRecord(init)) return new LiveHeaders(init as HeadersInit | undefined);
  const entries = Object.entries(init);
  const defined = entries.filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (defined.length < entries.length) {
    new Headers(entries.map(([name, value]) => [name, value ?? '']));
  }
  return new LiveHeaders(defined);
}

/**
 * True for a body that brings its own `Content-Type`, which fetch sends when the headers set
 * none: `FormData` (its multipart boundary), `URLSearchParams`, a `Blob` with a `type`. A
 * default `Content-Type` gives way to it. Told by tag, so a body from another realm counts too
 * (FormData and URLSearchParams have no `type`; a Blob without one has '').
 */
export function hasOwnType(body: unknown): boolean {
  return (
    /t (Blob|File|FormData|URLSearchParams)]/.test({}.toString.call(body)) &&
    (body as Blob).type !== ''
  );
}
