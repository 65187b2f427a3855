// Default headers given as a plain object, read as ky reads them.
import { isPlainRecord } from './options.js';
import { Headers } from './runtime.js';

/**
 * `new Headers(init)`, except that a plain object's `undefined` entries are left out (as ky
 * leaves them out), never sent as the text "undefined"; their names are still checked. A bad
 * name or value throws the platform's `TypeError`.
 */
export function definedHeaders(
  init: HeadersInit | Record<string, string | undefined> | undefined,
): Headers {
  if (!isPlainRecord(init)) return new Headers(init as HeadersInit | undefined);
  const entries = Object.entries(init);
  const defined = entries.filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (defined.length < entries.length) {
    new Headers(entries.map(([name, value]) => [name, value ?? '']));
  }
  return new Headers(defined);
}
