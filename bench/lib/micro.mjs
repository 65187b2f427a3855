// In-process micro-measurement of async calls: ns per call, median of samples.
import { median } from './stats.mjs';

/** A no-op fetch that returns one prebuilt Response (no body, so it can be returned again and again). */
export function noopFetch(
  response = new Response(null, { status: 200, headers: { 'content-type': 'text/plain' } }),
) {
  return async function noop(_input, _init) {
    return response;
  };
}

/**
 * Measures several async calls together: each sample runs every call `iterations`
 * times, one call after the other (so a noisy moment on a shared machine hits
 * them all alike); returns, per name, the median ns per call and the spread.
 * @param {Record<string, () => Promise<unknown>>} calls
 */
export async function nsPerCallInterleaved(
  calls,
  { iterations = 20_000, samples = 5, warmup = iterations } = {},
) {
  const names = Object.keys(calls);
  for (const name of names) {
    const fn = calls[name];
    for (let i = 0; i < warmup; i++) await fn();
  }
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const wall = Object.fromEntries(names.map((n) => [n, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of s % 2 ? [...names].reverse() : names) {
      const fn = calls[name];
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) await fn();
      const t1 = process.hrtime.bigint();
      const c1 = process.cpuUsage(c0);
      wall[name].push(Number(t1 - t0) / iterations);
      cpu[name].push(((c1.user + c1.system) * 1000) / iterations);
    }
  }
  // `ns` is CPU time (user + system, all threads: GC helpers count) per call: on a
  // shared, oversubscribed machine it is far steadier than wall time, which also
  // counts the time this process waited for a core. Wall time is kept alongside.
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        ns: median(cpu[n]),
        min: Math.min(...cpu[n]),
        max: Math.max(...cpu[n]),
        wallNs: median(wall[n]),
      },
    ]),
  );
}
