// What Node's fetch refuses in `init` before it sends anything: checked by the session and by
// the Node transport, which is not Node's fetch and would otherwise send what fetch would not.
import { isStreamBody } from './body.js';
import { describeValue } from './values.js';

/** The values Node's fetch accepts for the enumerations of `init` (the Fetch standard's). */
const accepted: Record<string, readonly string[]> = {
  mode: ['cors', 'no-cors', 'same-origin'],
  credentials: ['omit', 'same-origin', 'include'],
  cache: ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'],
  referrerPolicy: [
    '',
    'no-referrer',
    'no-referrer-when-downgrade',
    'same-origin',
    'origin',
    'strict-origin',
    'origin-when-cross-origin',
    'strict-origin-when-cross-origin',
    'unsafe-url',
  ],
  duplex: ['half'],
};
const acceptedKeys = Object.keys(accepted);

/** Throws fetch's `TypeError` (in the words of `where`) for a `signal` that is not an `AbortSignal`. */
export function checkSignal(init: RequestInit, where: string): void {
  const signal = init.signal as { addEventListener?: unknown } | null | undefined;
  if (signal != null && typeof signal.addEventListener !== 'function') {
    throw new TypeError(`${where}: init.signal must be an AbortSignal, as fetch requires.`);
  }
}

/**
 * Throws the `TypeError` Node's fetch would throw for `init` (in the words of `where`): a
 * `signal` that is not an `AbortSignal`, an enumeration value it does not know, a `window`, `only-if-cached` outside `same-origin`, a
 * stream body without `duplex: 'half'`, a stream body on a `keepalive` request (`keepalive`:
 * the call's, else its Request's). `redirect` is left to whoever follows redirects.
 */
export function checkInitAsNodeFetch(
  init: RequestInit,
  where: string,
  keepalive = init.keepalive,
): void {
  checkSignal(init, where);
  for (const key of acceptedKeys) {
    const value = (init as Record<string, unknown>)[key];
    if (value !== undefined && !accepted[key]!.includes(String(value))) {
      throw new TypeError(
        `${where}: init.${key} must be one of ${accepted[key]!.map((v) => `'${v}'`).join(', ')}, as fetch requires; got ${describeValue(value)}.`,
      );
    }
  }
  if (init.window != null) {
    throw new TypeError(`${where}: init.window must be null, as fetch requires.`);
  }
  if (init.cache === 'only-if-cached' && init.mode !== 'same-origin') {
    throw new TypeError(
      `${where}: init.cache 'only-if-cached' needs mode: 'same-origin', as fetch requires.`,
    );
  }
  if (isStreamBody(init.body)) {
    if ((init as { duplex?: unknown }).duplex === undefined) {
      throw new TypeError(
        `${where}: a stream body needs duplex: 'half' in init, as fetch requires (the response may start before the body is sent).`,
      );
    }
    // Node's own error, word for word (as the Node transport's): a keepalive request may outlive
    // its caller, so fetch wants its body whole.
    if (keepalive) throw new TypeError('keepalive');
  }
}
