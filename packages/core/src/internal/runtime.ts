import type {
  HeadersClass,
  HeadersType,
  RequestClass,
  RequestType,
  ResponseClass,
  ResponseType,
} from './globals.js';

/** The runtime this module was loaded in. */
export type RuntimeName = 'node' | 'deno' | 'bun' | 'workerd' | 'browser' | 'unknown';

/** The globals runtime detection reads, most of which no lib types. */
const g = globalThis as unknown as {
  Bun?: unknown;
  Deno?: unknown;
  navigator?: { userAgent?: string };
  process?: { versions?: { node?: unknown } };
  document?: unknown;
  WorkerGlobalScope?: unknown;
};

/** The runtime this module was loaded in (feature-detected once, at import). */
// Pure-annotated so that a bundle which never reads `runtime` leaves the detection out.
export const runtime: RuntimeName = /* @__PURE__ */ detectRuntime();

function detectRuntime(): RuntimeName {
  return typeof g.Bun !== 'undefined'
    ? 'bun'
    : typeof g.Deno !== 'undefined'
      ? 'deno'
      : // workerd: navigator.userAgent is exactly this string.
        g.navigator?.userAgent === 'Cloudflare-Workers'
        ? 'workerd'
        : typeof g.process?.versions?.node === 'string'
          ? 'node'
          : typeof g.document !== 'undefined' || typeof g.WorkerGlobalScope !== 'undefined'
            ? 'browser'
            : 'unknown';
}

/**
 * The platform's `Headers`, as it was when fetchstack loaded. Every layer builds headers
 * with this class, so code that replaces `globalThis.Headers` later (a polyfill, a test)
 * changes nothing a session sends, as it changes nothing native fetch sends.
 */
export const Headers: HeadersClass = globalThis.Headers;
export type Headers = HeadersType;
/** The platform's `Request`, as it was when fetchstack loaded (see `Headers`). */
export const Request: RequestClass = globalThis.Request;
export type Request = RequestType;
/** The platform's `Response`, as it was when fetchstack loaded (see `Headers`). */
export const Response: ResponseClass = globalThis.Response;
export type Response = ResponseType;

// Here rather than in call.ts: option checks that only ask what kind of input this is (which
// load up front) do not carry the code that reads calls.
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
