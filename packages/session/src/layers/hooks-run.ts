// The hooks layer's code that calls the hooks (hooks.ts loads this module on the first call
// through the layer, so a session without hooks never loads it).
import type { Middleware } from '@fetchstack/core';
import { abortable, abortOf, contextOf, describeRequest, discard } from '@fetchstack/core/internal';
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
      for (const hook of beforeRequest) await awaited(hook({ request, attempt }));
      const started = now();
      let response: Response;
      try {
        response = await next(input, init);
      } catch (error) {
        const ms = Math.round(now() - started);
        for (const hook of afterError) await awaited(hook({ request, error, attempt, ms }));
        throw error;
      }
      const ms = Math.round(now() - started);
      try {
        for (const hook of afterResponse) {
          await awaited(hook({ request, response: forHook(response), attempt, ms }));
        }
      } catch (error) {
        discard(response);
        throw error;
      }
      return response;
    };
}
