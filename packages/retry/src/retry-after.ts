// The `Retry-After` header. Public (`parseRetryAfter`), and read by the retry engine.

/**
 * `Retry-After` in ms: a non-negative integer of seconds or an HTTP-date in the
 * future. `undefined` for garbage, a negative number or a past date (the backoff
 * applies then); 0 for `0` (retry after the backoff wait, as urllib3).
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only an HTTP-date (it names a weekday or a month); Date.parse alone would take "-5" or "1.5".
  if (!/[a-z]{3}/i.test(text)) return undefined;
  // An HTTP-date is always GMT, but its asctime form (`Sun Nov  6 08:49:37 1994`) names no zone,
  // which Date.parse would read as local time (hours off, so a wait given up or cut short).
  const at = Date.parse(/\d{4}$/.test(text) ? `${text} GMT` : text);
  if (Number.isNaN(at) || at <= now) return undefined;
  return at - now;
}
