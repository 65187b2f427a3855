// The hooks layer's code that calls the hooks (hooks.ts loads this module on the first call
// through the layer, so a session without hooks never loads it).
import type { Middleware } from '@fetchstack/core';
import {
  abortable,
  abortOf,
  callLabel,
  contextOf,
  describeRequest,
  discard,
  isRequest,
  Response,
} from '@fetchstack/core/internal';
import type { HookLists } from './hooks.js';

const now = (): number =>
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? performance.now()
    : Date.now();

/** What reads a response's body (or copies it). */
const bodyMembers = new Set([
  'body',
  'text',
  'json',
  'arrayBuffer',
  'blob',
  'formData',
  'bytes',
  'clone',
]);

/**
 * The response as an `afterResponse` hook sees it: the same status, headers and URL, and a body
 * of its own, a `clone()` made the first time the hook touches the body (so that a hook that
 * logs it leaves the caller's to read, as ky's hooks do, and a hook that does not costs no copy).
 */
function forHook(response: Response): Response {
  let copy: Response | undefined;
  return new Proxy(response, {
    get(target, key) {
      // Whether the hook's body was read: no copy needed to say so.
      if (key === 'bodyUsed') return (copy ?? target).bodyUsed;
      let from = target;
      if (typeof key === 'string' && bodyMembers.has(key)) {
        copy ??= target.clone();
        from = copy;
      }
      const value = Reflect.get(from, key, from);
      return typeof value === 'function' ? value.bind(from) : value;
    },
  });
}

/** A refusal of what a hook tried, which would change nothing: hooks only watch calls. */
function watchOnly(label: string, name: string, what: string): TypeError {
  return new TypeError(
    `${label}: hooks.${name} ${what}, which changes nothing: hooks only watch calls (the request they get is a copy). To change a call, use the middleware option, or the headers option and session.headers for headers.`,
  );
}

/**
 * What a hook may return: anything but a request, response or error other than the one it was
 * given (ky's hooks return such a thing to replace the call's; here it would be dropped in
 * silence).
 */
function checkResult(label: () => string, name: string, result: unknown, given: unknown): void {
  if (typeof result !== 'object' || result === null || result === given) return;
  const kind = isRequest(result)
    ? 'a Request'
    : result instanceof Response
      ? 'a Response'
      : result instanceof Error
        ? 'an Error'
        : undefined;
  if (kind) throw watchOnly(label(), name, `returned ${kind}`);
}

/** The headers of the hooks' request, to tell whether a `beforeRequest` hook changed them. */
const headerText = (request: Request): string => JSON.stringify([...request.headers]);

/** Calls `beforeRequest`, `afterResponse` and `afterError` around each try. */
export function runHooks({ beforeRequest, afterResponse, afterError }: HookLists): Middleware {
  return (next) =>
    async function withHooks(input, init) {
      const request = describeRequest(input, init);
      if (!request) return next(input, init);
      const attempt = contextOf(init).attempt ?? 1;
      // A hook may take its time (an async logger, metrics); the caller's abort does not wait
      // for it: the call rejects at once with the caller's reason (the hook runs on).
      const signal = abortOf(input, init);
      const awaited = (result: unknown) => abortable(Promise.resolve(result), signal);
      const label = () => callLabel(input, init);
      if (beforeRequest.length > 0) {
        const headers = headerText(request);
        for (const hook of beforeRequest) {
          checkResult(label, 'beforeRequest', await awaited(hook({ request, attempt })), request);
        }
        if (headerText(request) !== headers) {
          throw watchOnly(label(), 'beforeRequest', "changed the request's headers");
        }
      }
      const started = now();
      let response: Response;
      try {
        response = await next(input, init);
      } catch (error) {
        const ms = Math.round(now() - started);
        for (const hook of afterError) {
          checkResult(
            label,
            'afterError',
            await awaited(hook({ request, error, attempt, ms })),
            error,
          );
        }
        throw error;
      }
      const ms = Math.round(now() - started);
      try {
        for (const hook of afterResponse) {
          const given = forHook(response);
          checkResult(
            label,
            'afterResponse',
            await awaited(hook({ request, response: given, attempt, ms })),
            given,
          );
        }
      } catch (error) {
        discard(response);
        throw error;
      }
      return response;
    };
}
