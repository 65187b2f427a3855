// The retry mechanism: calls `next` again while the policy says so. The first try goes out
// from here; what follows a failed first try (engine.ts) is loaded when a layer is made and
// waited for only when a first try fails, so a page does not load it up front.
import type { Fetch, Middleware } from '@fetchstack/core';
import { abortOf, methodOf, plainReplay, signalOf, withContext } from '@fetchstack/core/internal';
import { normalize, type Policy, type RetryOptions } from './options.js';
import { policies } from './override.js';
import { methodAllowed, retryableResponse } from './retryable.js';

type Engine = typeof import('./engine.js');
let loading: Promise<Engine> | undefined;
/** The engine, loaded once (a failed load is tried again at the next need). */
function load(): Promise<Engine> {
  loading ??= import('./engine.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Retries failed tries with exponential backoff, jitter and `Retry-After`.
 * Each retry calls the layers beneath again (auth and cookies run again) and
 * passes `withContext(init, { attempt })` (1 = the first try) down to them.
 *
 * One call can change the options for itself with `init.fetchstack.retry` (see
 * `RetryOverride`): `false` for no retry, a number for the limit, or options merged
 * over these. `retry(false)` makes a layer that retries only the calls that ask.
 *
 * @example
 * import { wrap } from '@fetchstack/core';
 * import { retry } from '@fetchstack/retry';
 * const api = wrap(fetch, retry({ limit: 3, statusCodes: [429, 503] }));
 * const res = await api('https://example.com/');
 * await api('https://example.com/health', { fetchstack: { retry: false } });
 */
export function retry(options?: RetryOptions | number | false): Middleware {
  const base =
    options === false ? undefined : typeof options === 'number' ? { limit: options } : options;
  const own = options === false ? undefined : normalize(base);
  const policyOf = policies(base, own);
  // Loading starts now, so that a first try that fails rarely waits for the engine.
  load().catch(() => {});
  return (next: Fetch): Fetch => retryFetch(next, policyOf);
}

function retryFetch(
  next: Fetch,
  policyOf: (init: RequestInit | undefined) => Policy | undefined,
): Fetch {
  return async function retrying(input, init) {
    const policy = policyOf(init);
    if (!policy) return next(input, withContext(init, { attempt: 1 }));
    policy.budget?.deposit();
    const method = methodOf(input, init);
    if (!methodAllowed(policy, method)) return next(input, withContext(init, { attempt: 1 }));

    // Read without making an AbortSignal (a total timeout above may have armed the call
    // without one); one is made only for what needs it (a body to read, the engine's waits).
    const abort = abortOf(input, init);
    // Without a body to make replayable, no await (and no microtask) before the first try.
    const replay =
      plainReplay(input, init) ??
      (await (
        await load()
      ).prepareReplay(input, init, policy.maxBufferSize, signalOf(input, init)));
    const [tryInput, tryInit] = replay.args();
    let response: Response | undefined;
    let error: unknown;
    try {
      response = await next(tryInput, withContext(tryInit, { attempt: 1 }));
    } catch (caught) {
      error = caught;
    }
    // Most calls end here: a response whose status is not retried.
    if (response && (abort?.aborted || !retryableResponse(policy, response))) return response;
    let engine: Engine;
    try {
      engine = await load();
    } catch {
      // The engine could not be loaded (a page that lost its network): the call settles as
      // its first try did, rather than with the loader's error.
      if (response) return response;
      throw error;
    }
    return engine.afterFirstTry(
      next,
      input,
      init,
      policy,
      replay,
      signalOf(input, init),
      response,
      error,
    );
  };
}
