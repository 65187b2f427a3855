/**
 * Helpers shared by the fetchstack packages. Not part of the public contract:
 * names here may change between minor versions. They live in core (behind a
 * subpath, so `@fetchstack/core` itself stays types + compose) so that no
 * package writes its own copy of these.
 */

/** The runtime this module was loaded in, detected once. */
export type RuntimeName = 'node' | 'deno' | 'bun' | 'workerd' | 'browser' | 'unknown';

const g = globalThis as any;

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

/** True when `value` is a `Request`, from this realm or another (undici's, a polyfill's). */
export function isRequest(value: unknown): value is Request {
  // Strings and URLs (most calls) first: reading the global `Request` is a lazy getter in Node.
  if (typeof value !== 'object' || value === null || value instanceof URL) return false;
  if (typeof Request !== 'undefined' && value instanceof Request) return true;
  const v = value as any;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.url === 'string' &&
    typeof v.method === 'string' &&
    typeof v.clone === 'function' &&
    typeof v.headers === 'object'
  );
}

/** The URL a fetch call targets, as a `URL`. A relative string throws the platform's TypeError. */
export function urlOf(input: string | URL | Request): URL {
  if (typeof input === 'string') return new URL(input);
  if (input instanceof URL) return input;
  return new URL(input.url);
}

/** The method a fetch call will use, upper-cased as fetch normalises it. */
export function methodOf(input: string | URL | Request, init?: RequestInit): string {
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
export function headersOf(input: string | URL | Request, init?: RequestInit): Headers {
  if (init?.headers !== undefined) return new Headers(init.headers);
  if (isRequest(input)) return new Headers(input.headers);
  return new Headers();
}

/** The URL with any user name and password replaced by `***`, for messages and logs. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    // Not a URL: hide what the URL parser would read as user info. It drops tabs and
    // newlines, accepts any run of "/" or "\\" (or none) after the scheme, and takes
    // the user info up to the LAST "@" before the path, query or fragment.
    return String(url)
      .replace(/[\t\n\r]/g, '')
      .replace(/^([\0- ]*(?:[a-z][a-z0-9+.-]*:)?[\\/]*)[^/\\?#]*@/i, '$1***@');
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? '***' : '';
    parsed.password = parsed.password ? '***' : '';
  }
  return parsed.href;
}

/** `{ method, url }` of a call, credentials removed: what every fetchstack error carries. */
export function describeCall(
  input: string | URL | Request,
  init?: RequestInit,
): { method: string; url: string } {
  let url: string;
  try {
    url = redactUrl(urlOf(input));
  } catch {
    url = redactUrl(typeof input === 'string' ? input : String(input));
  }
  return { method: methodOf(input, init), url };
}

/** `"GET https://example.com/"`: the prefix of error messages. */
export function callLabel(input: string | URL | Request, init?: RequestInit): string {
  const { method, url } = describeCall(input, init);
  return `${method} ${url}`;
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

/** The reason an aborted signal carries, or a DOMException like the platform's. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Waits `ms`, or rejects at once with the signal's reason when it aborts.
 * The timer and the listener are both gone when the promise settles.
 */
export function delay(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Guard for errors that cross realms or bundles: checks the class, then the `name`. */
export function hasErrorName(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as Error).name === name;
}

/** Short description of a value for an error message: `a string "x"`, `an object`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

/** Throws `TypeError` for a value that is not a plain options object (or undefined). */
export function assertOptionsObject(value: unknown, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(value)}.`);
  }
}

/**
 * Throws `TypeError` naming any key of `options` not in `known`, with the closest
 * known name as a hint (so a typo such as `retires` is caught at creation).
 */
export function assertKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    throw new TypeError(
      `${where}: unknown option "${key}".${hint ? ` Did you mean "${hint}"?` : ''} Known options: ${known.join(', ')}.`,
    );
  }
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(word.length / 2)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? previous : 1 + Math.min(previous, row[j]!, row[j - 1]!);
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * Per-call context that layers hand to the layers beneath them, carried on the
 * `init` object under a registered symbol (so it survives bundles and realms,
 * and the platform's fetch ignores it). Layers never mutate a context: they pass
 * a new `init` with `withContext`.
 */
export interface CallContext {
  /** Set by retry: 1 for the first try, 2 for the first retry, ... */
  attempt?: number;
  /** Set by redirect on every hop after the first. */
  redirect?: {
    /** The URL the caller asked for (before any redirect). */
    initial: URL;
    /** The URL whose response redirected here. */
    previous: URL;
    /** 1 for the first redirect followed, ... */
    hop: number;
  };
  /** When the whole call started (ms since epoch), set by the outermost layer that cares. */
  startedAt?: number;
  /** Anything else a layer wants to pass down: namespaced by package name. */
  [key: string]: unknown;
}

export const contextKey: unique symbol = Symbol.for('fetchstack.context') as any;

/** The context a layer above attached to this call, or `{}`. */
export function contextOf(init: RequestInit | undefined): Readonly<CallContext> {
  return ((init as any)?.[contextKey] as CallContext | undefined) ?? {};
}

/** A new init: `init` with its context extended by `patch` (neither is mutated). */
export function withContext(
  init: RequestInit | undefined,
  patch: Partial<CallContext>,
): RequestInit {
  const next: any = extendInit(init, undefined);
  next[contextKey] = extendInit(contextOf(init), patch);
  return next;
}

/**
 * `{ ...init, ...patch }`, the same object (the same own enumerable keys, symbols included, in
 * the same order), made with `Object.assign`: on Node 20's V8 a spread followed by more
 * properties takes a slow path (about 1 µs a call, measured), and every layer does one per
 * call. An own `"__proto__"` key, which `Object.assign` would take for the prototype, keeps
 * the spread.
 */
export function extendInit<T extends object>(
  init: T | undefined,
  patch: Partial<T> | undefined,
): T {
  if (init != null && Object.hasOwn(init, '__proto__')) return { ...init, ...patch } as T;
  return Object.assign({}, init, patch) as T;
}
