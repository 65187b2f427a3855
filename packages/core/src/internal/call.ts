// Reading a fetch call `(input, init)` the way fetch itself reads it.
import type { AbortLike, LazyAbort } from './abort.js';
import { contextKey } from './context.js';
import { Headers, isRequest, Request } from './runtime.js';

/** The input of a fetch call. */
export type Input = string | URL | Request;

/** The URL a fetch call targets, as a `URL`. A relative string throws the platform's TypeError. */
export function urlOf(input: Input): URL {
  if (typeof input === 'string') return new URL(input);
  if (input instanceof URL) return input;
  return new URL(input.url);
}

/** The method a fetch call will use, upper-cased as fetch normalises it. */
export function methodOf(input: Input, init?: RequestInit): string {
  const method = init?.method ?? (isRequest(input) ? input.method : 'GET');
  return normalizeMethod(method);
}

const standardMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
/** fetch upper-cases only these six; others keep their case (`patch` stays `patch`). */
export function normalizeMethod(method: string): string {
  // Most calls spell it upper-case already: no new string for them.
  if (standardMethods.has(method)) return method;
  const upper = method.toUpperCase();
  return standardMethods.has(upper) ? upper : method;
}

/**
 * The headers a fetch call sends as the caller set them: `init.headers` when
 * present (fetch lets it replace a Request's headers), else the Request's own.
 * Always a fresh `Headers` the caller of this function may change.
 */
export function headersOf(input: Input, init?: RequestInit): Headers {
  if (init?.headers !== undefined) return new Headers(init.headers);
  if (isRequest(input)) return new Headers(input.headers);
  return new Headers();
}

/**
 * What aborts a call, without making an `AbortSignal`: the `LazyAbort` a timeout above put in
 * the call context (`contextOf(init).abort`), unless the call carries a signal set beneath
 * that timeout; else the call's own signal (`init.signal`, `null` meaning none, else a
 * Request's). For reading `aborted` and listening; `signalOf()` gives a signal to hand on.
 */
export function abortOf(input: Input, init?: RequestInit): AbortLike | undefined {
  const own =
    init?.signal !== undefined ? init.signal : isRequest(input) ? input.signal : undefined;
  const lazy = (init as { [contextKey]?: { abort?: LazyAbort } } | undefined)?.[contextKey]?.abort;
  return lazy && own === lazy.own ? lazy : (own ?? undefined);
}

/**
 * The signal that governs a call, as fetch reads it: `init.signal` wins over a
 * Request's own; `signal: null` in init means none. A `LazyAbort` (see `abortOf`) makes
 * its `AbortSignal` now.
 */
export function signalOf(input: Input, init?: RequestInit): AbortSignal | undefined {
  const found = abortOf(input, init);
  // A LazyAbort is the one with `own` (the signal the call carried when it was made).
  return found && 'own' in found ? (found as LazyAbort).signal() : (found as AbortSignal);
}

/**
 * A `Request` describing the call for hooks and callbacks: URL, method and headers,
 * never the body (reading it would consume the caller's stream). `undefined` when
 * the platform would refuse the call anyway (it then throws its own error below).
 */
export function describeRequest(input: Input, init?: RequestInit): Request | undefined {
  try {
    const url = isRequest(input) ? input.url : String(input);
    const headers = headersOf(input, init);
    try {
      return new Request(url, { method: methodOf(input, init), headers });
    } catch {
      // A method the platform will not put in a Request (TRACE): the URL and headers still tell.
      return new Request(url, { headers });
    }
  } catch {
    return undefined;
  }
}

/** Same origin in the fetch sense: scheme, host and port all equal. */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.origin !== 'null';
}

// The Fetch standard's "bad ports" (https://fetch.spec.whatwg.org/#port-blocking): ports of
// protocols that a request crafted by a web page could abuse (SMTP, IRC, X11, ...). fetch
// refuses them with a network error before connecting; the transport does the same, and
// retry never retries such a refusal.

/** The ports fetch refuses for http: and https: URLs, as the standard lists them. */
const badPortList =
  '0 1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109 110 ' +
  '111 113 115 117 119 123 135 137 139 143 161 179 389 427 465 512 513 514 515 526 530 531 ' +
  '532 540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 ' +
  '5060 5061 6000 6566 6665 6666 6667 6668 6669 6679 6697 10080';

// Built on first use, so that a bundle which never checks a port (most browser builds of a
// single wrapper) does not carry the set.
let badPortSet: ReadonlySet<string> | undefined;

/** The ports fetch refuses, as strings (`'25'`, ...). */
export function badPorts(): ReadonlySet<string> {
  badPortSet ??= new Set(badPortList.split(' '));
  return badPortSet;
}

/** True when fetch would refuse to connect to `url` because of its port. */
export function isBadPort(url: URL): boolean {
  return (
    url.port !== '' &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    badPorts().has(url.port)
  );
}
