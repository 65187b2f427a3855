// The hooks layer's code that calls the hooks (hooks.ts loads this module on the first call
// through the layer, so a session without hooks never loads it).
import type { Middleware } from '@fetchstack/core';
import { contextOf, describeRequest } from '@fetchstack/core/internal';
import type { HookLists } from './hooks.js';

const now = (): number =>
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? performance.now()
    : Date.now();

/** Calls `beforeRequest`, `afterResponse` and `afterError` around each try. */
export function runHooks({ beforeRequest, afterResponse, afterError }: HookLists): Middleware {
  return (next) =>
    async function withHooks(input, init) {
      const request = describeRequest(input, init);
      if (!request) return next(input, init);
      const attempt = contextOf(init).attempt ?? 1;
      for (const hook of beforeRequest) await hook({ request, attempt });
      const started = now();
      let response: Response;
      try {
        response = await next(input, init);
      } catch (error) {
        const ms = Math.round(now() - started);
        for (const hook of afterError) await hook({ request, error, attempt, ms });
        throw error;
      }
      const ms = Math.round(now() - started);
      for (const hook of afterResponse) await hook({ request, response, attempt, ms });
      return response;
    };
}
