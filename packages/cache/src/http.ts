// What the cache reads and writes in HTTP messages that http-cache-semantics leaves to its
// user: header lists as fetch gives them (it takes plain objects), Vary selection among
// several stored variants, the update of stored headers from a 304, and Cache-Status.
import { Headers } from '@fetchstack/core/internal';
import type { CachedResponse } from './store.js';

/** Headers as http-cache-semantics reads them: lower-case names, repeated fields joined. */
export function plainHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  });
  // `forEach` joins Set-Cookie lines with ", " already in some runtimes, not in others.
  return out;
}

/**
 * The response headers as the freshness rules must read them (RFC 9111 §4.2, §5.1-5.3), which
 * http-cache-semantics reads more leniently: an `Expires` that is not a valid HTTP-date means
 * "already expired", an `Age` is its first value, ignored unless a non-negative integer, and
 * `Cache-Control` directive names are case-insensitive.
 */
export function policyHeaders(headers: Headers): Record<string, string> {
  const out = plainHeaders(headers);
  for (const name of ['date', 'expires', 'last-modified']) {
    if (out[name] !== undefined) out[name] = fourDigitYear(out[name]);
  }
  if (out.expires !== undefined) out.expires = isHttpDate(out.expires) ? out.expires : '0';
  if (out.age !== undefined) {
    // The first value counts (repeated lines are joined with ", "), parameters aside.
    const first = (out.age.split(',')[0] ?? '').split(';')[0]!.trim();
    if (/^\d+$/.test(first)) out.age = first;
    else delete out.age;
  }
  if (out['cache-control'] !== undefined) {
    out['cache-control'] = out['cache-control'].replace(
      /(^|,)(\s*)([^=,\s]+)/g,
      (_, comma: string, space: string, name: string) => `${comma}${space}${name.toLowerCase()}`,
    );
  }
  return out;
}

const day = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const month = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const time = '\\d{2}:\\d{2}:\\d{2}';
const httpDates = [
  new RegExp(`^${day}, \\d{2} ${month} \\d{4} ${time} GMT$`, 'i'),
  new RegExp(
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-${month}-\\d{2} ${time} GMT$`,
  ),
  new RegExp(`^${day} ${month} (?: \\d|\\d{2}) ${time} \\d{4}$`),
];

const rfc850 = new RegExp(`^(${day})[a-z]*, (\\d{2})-(${month})-(\\d{2}) (${time}) GMT$`);

/**
 * An RFC 850 date (`Thursday, 18-Aug-50 10:00:00 GMT`) in the preferred format, its two-digit
 * year read as RFC 9110 §5.6.7 says (more than 50 years ahead means the century before), where
 * `Date.parse` would read `50` as 1950; any other value as it is.
 */
export function fourDigitYear(value: string): string {
  const m = rfc850.exec(value.trim());
  if (!m) return value;
  const current = new Date().getUTCFullYear();
  let year = current - (current % 100) + Number(m[4]);
  if (year > current + 50) year -= 100;
  return `${m[1]}, ${m[2]} ${m[3]} ${year} ${m[5]} GMT`;
}

/** An HTTP-date in one of its three formats (RFC 9110 §5.6.7). */
export function isHttpDate(value: string): boolean {
  const text = value.trim();
  return httpDates.some((format) => format.test(text)) && !Number.isNaN(Date.parse(text));
}

/** A header list in order, each `Set-Cookie` line apart (`forEach` would join them). */
export function headerList(headers: Headers): [string, string][] {
  const list: [string, string][] = [];
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') list.push([name, value]);
  });
  for (const cookie of headers.getSetCookie()) list.push(['set-cookie', cookie]);
  return list;
}

/** The header names a `Vary` value lists, lower-case (`*` kept). */
export function varyNames(vary: string | null | undefined): string[] {
  if (!vary) return [];
  return vary
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

/** The request's values of the headers `vary` names, as a stored response keeps them. */
export function varyValues(
  vary: string | null | undefined,
  request: Headers,
): Record<string, string | null> {
  const values: Record<string, string | null> = {};
  for (const name of varyNames(vary)) if (name !== '*') values[name] = normalize(request.get(name));
  return values;
}

/** True when `stored` may answer a request with these headers, by its `Vary`. */
export function varyMatches(stored: CachedResponse, request: Headers): boolean {
  const vary = headerValue(stored.headers, 'vary');
  for (const name of varyNames(vary)) {
    if (name === '*') return false;
    if ((stored.vary[name] ?? null) !== normalize(request.get(name))) return false;
  }
  return true;
}

/** Whitespace around commas does not change a list header's meaning (`gzip,br` = `gzip, br`). */
export function normalize<T extends string | null>(value: T): T {
  return (value === null ? null : value.trim().replace(/\s*,\s*/g, ', ')) as T;
}

/** The first value of a header in a list (or all of them joined, for a list header). */
export function headerValue(list: readonly [string, string][], name: string): string | null {
  // A loop, no arrays: every hit reads a stored response's `Vary` and `Cache-Status` here.
  let value: string | null = null;
  for (const [key, each] of list) {
    if (key === name) value = value === null ? each : `${value}, ${each}`;
  }
  return value;
}

// Not to be stored, or forwarded from a stored response (RFC 9111 §3.1, RFC 9110 §7.6.1).
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The stored header list without the hop-by-hop fields (those `Connection` names too). */
export function storableHeaders(list: [string, string][]): [string, string][] {
  const named = new Set(varyNames(headerValue(list, 'connection')));
  return list.filter(([name]) => !hopByHop.has(name) && !named.has(name));
}

// A 304 does not describe the stored content's bytes: these fields stay as stored.
const keptOn304 = new Set(['content-length', 'content-encoding', 'content-range', 'etag']);

/**
 * The stored header list updated from a 304's headers (RFC 9111 §3.2): each field the 304
 * carries replaces every stored line of that name, and new fields are added. (http-cache-semantics
 * only replaces fields the stored response already had, so the list is merged here.)
 */
export function mergeHeaders(stored: [string, string][], update: Headers): [string, string][] {
  const fresh = storableHeaders(headerList(update)).filter(([name]) => !keptOn304.has(name));
  const replaced = new Set(fresh.map(([name]) => name));
  return [...stored.filter(([name]) => !replaced.has(name)), ...fresh];
}

/** A `Headers` from a list. */
export function toHeaders(list: readonly [string, string][]): Headers {
  const headers = new Headers();
  for (const [name, value] of list) headers.append(name, value);
  return headers;
}

/** The parts of a Cache-Status entry (RFC 9211) for the cache named `fetchstack`. */
export interface CacheStatus {
  /** Served from the cache without going to the origin. */
  hit?: boolean;
  /** Why the request went to the origin. */
  fwd?: 'bypass' | 'method' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale';
  /** The status the origin answered with, when it differs in meaning from the final one. */
  fwdStatus?: number;
  /** Seconds of freshness left (negative: stale), on a hit. */
  ttl?: number;
  /** The response is being stored. */
  stored?: boolean;
  /** Why, in a few words, when nothing above says it. */
  detail?: string;
}

/** The cache's name in `Cache-Status`. */
export const cacheName = 'fetchstack';

/** `fetchstack; fwd=miss; stored`, ... */
export function formatStatus(status: CacheStatus): string {
  let out = cacheName;
  if (status.hit) out += '; hit';
  if (status.fwd) out += `; fwd=${status.fwd}`;
  if (status.fwdStatus !== undefined) out += `; fwd-status=${status.fwdStatus}`;
  if (status.ttl !== undefined) out += `; ttl=${Math.round(status.ttl)}`;
  if (status.stored) out += '; stored';
  if (status.detail) out += `; detail=${status.detail}`;
  return out;
}
