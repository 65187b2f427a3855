// Describing a call for messages, logs and errors: its method and URL with credentials
// removed. Apart from call.ts so that a bundle which only reads calls (most layers' hot
// path) does not carry URL redaction, which only an error or a log line needs.
import { type Input, methodOf } from './call.js';
import { redactUrl } from './redact.js';
import { isRequest } from './runtime.js';

/** `{ method, url }` of a call, credentials removed: what every fetchstack error carries. */
export function describeCall(input: Input, init?: RequestInit): { method: string; url: string } {
  // As given, never resolved against a page (`urlOf` would): a string that only a base makes a
  // URL (`http::pw@host`) is redacted as text, what would read as its user info hidden.
  const url = redactUrl(isRequest(input) ? input.url : input);
  return { method: methodOf(input, init), url };
}

/** `"GET https://example.com/"`: the prefix of error messages. */
export function callLabel(input: Input, init?: RequestInit): string {
  const { method, url } = describeCall(input, init);
  return `${method} ${url}`;
}

// A network failure rejects with a TypeError, as fetch does (clients detect network errors
// by that), which also says which request failed and, where the runtime says, why.

/**
 * Codes for runtimes that say what failed only in words (Deno: "tcp connect error:
 * Connection refused (os error 111)", "dns error: failed to lookup address information").
 */
const spokenCodes: [RegExp, string][] = [
  [/connection refused/i, 'ECONNREFUSED'],
  [/connection reset/i, 'ECONNRESET'],
  [/dns error|failed to lookup address/i, 'ENOTFOUND'],
];

/**
 * The first `code` string along an error's `cause` chain (the runtime's own), else the
 * code its messages name in words.
 */
export function codeOf(error: unknown): string | undefined {
  let e: unknown = error;
  let words = '';
  for (let i = 0; i < 5 && typeof e === 'object' && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') words += ` ${message}`;
    e = (e as { cause?: unknown }).cause;
  }
  return spokenCodes.find(([pattern]) => pattern.test(words))?.[1];
}

/**
 * Replaces the request's URL, where it has credentials or secret parameters, with `redacted`
 * in the text of `error` and its causes: the runtime's messages and stacks (Deno: "error
 * sending request for url (...)"), and its own string properties (Bun's `path`). Logging a
 * caught error then shows no more than its `url` does.
 */
function scrub(error: object, input: Input, redacted: string): void {
  const raw = new Set<string>();
  const given = isRequest(input) ? input.url : input instanceof URL ? input.href : String(input);
  raw.add(given);
  try {
    raw.add(new URL(given).href);
  } catch {
    // Not a URL: the text as given is all a message can repeat.
  }
  // Nothing to hide when every form of the URL is the redacted one already.
  if (!given || [...raw].every((form) => form === redacted)) return;
  // The longer first, so that a URL is not half replaced through a shorter form of it; in one
  // pass, so that what was written is not matched again ("http://a.test" inside the
  // "http://a.test/" just written would become "http://a.test//").
  const forms = new RegExp(
    [...raw]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  );
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    for (const key of Object.getOwnPropertyNames(e)) {
      const value = (e as Record<string, unknown>)[key];
      if (typeof value !== 'string') continue;
      const text = value.replace(forms, () => redacted);
      if (text === value) continue;
      try {
        (e as Record<string, unknown>)[key] = text;
      } catch {
        // A read-only property keeps its text.
      }
    }
    e = (e as { cause?: unknown }).cause;
  }
}

/**
 * Replaces the URL of `input`, where it holds credentials or secret parameters, with its
 * redacted form in the text of `error` and its causes (what another library's error says
 * about a request: ky's `HTTPError` names the URL in its message).
 */
export function redactErrorText(error: unknown, input: Input): void {
  if (typeof error === 'object' && error !== null) scrub(error, input, describeCall(input).url);
}

/**
 * Gives `error` the request's `method` and `url` (credentials removed) and the runtime's
 * `code`, unless it has them already; returns it. Properties it cannot take are skipped.
 */
export function annotate<E>(error: E, input: Input, init: RequestInit | undefined): E {
  if (typeof error !== 'object' || error === null) return error;
  const { method, url } = describeCall(input, init);
  scrub(error, input, url);
  const own = (value: unknown) => ({ value, writable: true, configurable: true });
  const props: PropertyDescriptorMap = {};
  if (!('method' in error)) props.method = own(method);
  if (!('url' in error)) props.url = own(url);
  const code = codeOf(error);
  if (code !== undefined && !('code' in error)) props.code = own(code);
  try {
    Object.defineProperties(error, props);
  } catch {
    // A frozen error keeps what it has.
  }
  return error;
}
