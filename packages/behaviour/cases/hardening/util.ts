// Shared by the hardening cases: one fixed seed so every fuzz run is reproducible,
// run counts sized so the whole hardening group stays well under a minute per runtime.
import type { Parameters } from 'fast-check';

/** The seed every property runs with. Change it only to explore; CI runs this one. */
export const SEED = 20261124;

/** Pure properties (no network per run): a few thousand runs each. */
export const PURE_RUNS = 2000;
/** Properties that need the wire (one request per run): fewer. */
export const WIRE_RUNS = 60;

/**
 * Options for `fc.assert`. Wire properties stop at the first failure instead of
 * shrinking (shrinking re-sends requests for many seconds); the counterexample is
 * still printed with the seed and path to replay it.
 */
export function params<T>(numRuns: number, wire = false): Parameters<T> {
  return wire ? { seed: SEED, numRuns, endOnFailure: true } : { seed: SEED, numRuns };
}

/** What a thrown value looks like in a failure message. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error)
    return `${error.constructor?.name ?? 'Error'}(${error.name}): ${error.message}`;
  return `a thrown ${typeof error}: ${String(error)}`;
}

/** Races `promise` against `ms`: a hang becomes a failure with `what` in the message. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what}: still pending after ${ms} ms (a hang)`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Call first in a case that uses the wire after CPU-bound fuzzing. A synchronous
 * property can hold the event loop past the test server's keep-alive timeout (5 s);
 * the next request then goes out in the same tick on the pooled socket the server
 * has closed (undici: "fetch failed", workerd: "Network connection lost"), before
 * the client's own keep-alive timer could run. One macrotask lets the pool notice.
 * (The session's retry makes such a request succeed: see the fault matrix.)
 */
export function letPoolSettle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}
