// The check of the limits, when a layer is made (timeout.ts) and for one call's override
// (run.ts, which timeout.ts hands it to). A bad limit throws a `TypeError` naming it.
import {
  assertKnownKeys,
  describeValue,
  maxTimerMs as maxMs,
  type OptionSite,
} from '@fetchstack/core/internal';
import type { TimeoutOptions } from './timeout.js';

const knownKeys = ['total', 'attempt', 'read'] as const;

/**
 * Checks `limits` (a `TypeError` naming the key and what to change) and returns a copy of
 * them as options. `site` says where they were given: `timeout()`, or one call's
 * `init.fetchstack.timeout` (`fetch(input, init): "fetchstack.timeout.total" must be ...`).
 */
export function toOptions(limits: number | TimeoutOptions, site: OptionSite): TimeoutOptions {
  if (typeof limits === 'number') {
    checkMs(limits, site.path ? site.self : `${site.label}: the timeout`);
    return { total: limits };
  }
  if (!limits || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new TypeError(
      `${site.self}: pass a number of ms or { total, attempt, read }; got ${describeValue(limits)}.`,
    );
  }
  if ('connect' in limits) {
    throw new TypeError(
      `${site.label}: "${site.path}connect" is the transport's timeout, not this layer's: set it through @fetchstack/proxy or createSession({ timeout: { connect } }).`,
    );
  }
  assertKnownKeys(limits, knownKeys, site.self);
  for (const key of knownKeys) {
    const value = limits[key];
    if (value !== undefined && value !== false)
      checkMs(value, `${site.label}: "${site.path}${key}"`);
  }
  // A copy of the keys given: merged over a layer's own limits, a key left out keeps the layer's.
  return { ...limits };
}

function checkMs(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxMs) {
    throw new TypeError(
      `${what} must be a positive number of ms (at most ${maxMs}); got ${describeValue(value)}. Pass false for no limit.`,
    );
  }
}
