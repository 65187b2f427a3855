// Which errors are network failures worth a retry. Public (`isNetworkError`), and read by the
// retry engine only after a try threw.
import { type Input, isBadPort } from '@fetchstack/core/internal';
import { bunNetworkCode, nodeRefusal, workerdNetworkError } from './runtime-errors.js';

// Messages of the platforms' network failures, measured:
// Node (undici): TypeError 'fetch failed' with a `cause` (ECONNREFUSED, UND_ERR_SOCKET, ENOTFOUND, HPE_*;
//   and refusals by fetch's own rules, see runtime-errors.ts).
// Deno: TypeError 'fetch failed' with a `cause` ("error sending request ... connection closed ...").
// Bun: TypeError with a `code` (ECONNREFUSED, ECONNRESET, ENOTFOUND, Malformed_HTTP_Response),
//   see runtime-errors.ts.
// Chromium: TypeError 'Failed to fetch'; Firefox 'NetworkError when attempting...'; Safari 'Load failed'.
// workerd: a plain Error 'Network connection lost.' (refused, reset) or 'internal error; reference = ...'
//   (a response that is not HTTP), see runtime-errors.ts.
// A bad request (an invalid header value) is a TypeError too, but with none of these
// marks: Node 'Headers.append: ... invalid header value', Deno 'Invalid header value',
// Bun "Header 'x' has invalid value", Chromium "Failed to execute 'fetch' on 'Window': ...".
const networkMessages =
  /^(?:fetch failed$|failed to fetch$|networkerror when attempting to fetch resource|load failed$|network connection lost|network error|error sending request|connection (?:reset|refused|closed))/i;

/**
 * Whether an error thrown by the fetch beneath is a network failure worth a retry.
 * With the call's `input`, a refusal that only looks like one is not: a URL fetch
 * refuses (a scheme other than http/https, a port on the Fetch standard's bad-port
 * list) fails the same way every time.
 */
export function isNetworkError(error: unknown, input?: Input): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
    limit?: unknown;
  };
  if (input !== undefined && refusedUrl(input)) return false;
  const cause = e.cause as { name?: unknown; message?: unknown } | undefined;
  // redirect: 'error' met a redirect: the redirect layer's TypeError names it as its cause.
  if (cause?.name === 'RedirectError') return false;
  // A refusal by fetch's own rules that Node's fetch names in the cause (integrity, mode).
  if (nodeRefusal(cause)) return false;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.name === 'TypeError') {
    // Deno: a blocked port ("Fetch failed: Requests to port 9 are blocked") is policy, not the network.
    if (/blocked/i.test(message)) return false;
    if (bunNetworkCode(e.code)) return true;
    return networkMessages.test(message);
  }
  if (e.name === 'Error') return workerdNetworkError(message, networkMessages);
  return false;
}

/** A URL fetch refuses before any connection: not http(s), or a bad port. */
function refusedUrl(input: Input): boolean {
  let url: URL;
  try {
    url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  } catch {
    return true; // not a URL: the platform's TypeError says so, every time
  }
  return (url.protocol !== 'http:' && url.protocol !== 'https:') || isBadPort(url);
}
