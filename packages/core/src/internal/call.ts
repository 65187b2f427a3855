// Reading a fetch call `(input, init)` the way fetch itself reads it.
import { redactUrl } from './redact.js';
import { Headers, Request } from './runtime.js';

/** The input of a fetch call. */
export type Input = string | URL | Request;

/** True when `value` is a `Request`, from this realm or another (undici's, a polyfill's). */
export function isRequest(value: unknown): value is Request {
  // Strings and URLs (most calls) first: reading the global `Request` is a lazy getter in Node.
  if (typeof value !== 'object' || value === null || value instanceof URL) return false;
  if (typeof Request !== 'undefined' && value instanceof Request) return true;
  const v = value as Partial<Request>;
  return (
    typeof v.url === 'string' &&
    typeof v.method === 'string' &&
    typeof v.clone === 'function' &&
    typeof v.headers === 'object'
  );
}

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
 * The signal that governs a call, as fetch reads it: `init.signal` wins over a
 * Request's own; `signal: null` in init means none.
 */
export function signalOf(input: Input, init?: RequestInit): AbortSignal | undefined {
  if (init?.signal !== undefined) return init.signal ?? undefined;
  return isRequest(input) ? input.signal : undefined;
}

/** `{ method, url }` of a call, credentials removed: what every fetchstack error carries. */
export function describeCall(input: Input, init?: RequestInit): { method: string; url: string } {
  let url: string;
  try {
    url = redactUrl(urlOf(input));
  } catch {
    url = redactUrl(typeof input === 'string' ? input : String(input));
  }
  return { method: methodOf(input, init), url };
}

/** `"GET https://example.com/"`: the prefix of error messages. */
export function callLabel(input: Input, init?: RequestInit): string {
  const { method, url } = describeCall(input, init);
  return `${method} ${url}`;
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

/** Loopback hosts, which browsers and tough-cookie treat as secure contexts. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
