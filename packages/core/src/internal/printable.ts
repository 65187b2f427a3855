// How a response (or request) held by an error prints, where a console prints objects as text.
import { redactHeaders, redactUrl } from './redact.js';

const nodeInspect = Symbol.for('nodejs.util.inspect.custom');
const denoInspect = Symbol.for('Deno.customInspect');

type Inspect = (value: unknown, options?: unknown) => string;

/**
 * Makes a response or a request print with its secrets hidden in Node's, Deno's and Bun's
 * console and `inspect`: its URL as `redactUrl` gives it, its headers as `redactHeaders` gives
 * them (`Set-Cookie`, `Authorization` among them). An error that holds one (its `response`, its
 * `cause`, ky's `request`) then prints whole, `console.error(error)`, without the cookies or
 * tokens it carried. Nothing else of the object changes (the properties are symbols that no
 * spread or `Object.keys` sees). Returns `message`.
 */
export function printsRedacted<T extends Response | Request | undefined>(message: T): T {
  if (!message) return message;
  const request = 'method' in message;
  const name = request ? 'Request' : 'Response';
  const shown = () => ({
    ...(request
      ? { method: message.method, url: redactUrl(message.url) }
      : {
          status: message.status,
          statusText: message.statusText,
          url: message.url && redactUrl(message.url),
          redirected: message.redirected,
        }),
    headers: Object.fromEntries(redactHeaders(message.headers)),
    bodyUsed: message.bodyUsed,
  });
  Object.defineProperty(message, nodeInspect, {
    configurable: true,
    value: (_depth: number, options: unknown, inspect?: Inspect) =>
      typeof inspect === 'function' ? `${name} ${inspect(shown(), options)}` : shown(),
  });
  Object.defineProperty(message, denoInspect, {
    configurable: true,
    value: (inspect: Inspect, options: unknown) => `${name} ${inspect(shown(), options)}`,
  });
  return message;
}

/**
 * Puts `message` (printing redacted, above) on `error` as `key`, left out of the properties a
 * console lists for an error: Bun's lists them without asking them how they print. Node and
 * Deno still show it as the error's `cause` when it is one.
 */
export function holdRedacted(
  error: object,
  key: string,
  message: Response | Request | undefined,
): void {
  Object.defineProperty(error, key, {
    value: printsRedacted(message),
    configurable: true,
    enumerable: false,
    writable: true,
  });
}
