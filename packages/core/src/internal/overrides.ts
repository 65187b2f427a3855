// Reading one call's `init.fetchstack.<key>`: code that runs per call, apart from the option
// checks (options.ts) so that a package whose checks load up front does not carry it.
import type { OptionSite } from './options.js';
import { describeValue } from './values.js';

/**
 * The site of one call's `init.fetchstack.<key>`. Here rather than beside `factorySite`: only
 * per-call code reads it, and a bundler puts a module used both up front and per call in the
 * up-front code whole.
 */
export function callSite(key: string): OptionSite {
  const label = 'fetch(input, init)';
  return { label, path: `fetchstack.${key}.`, self: `${label}: "fetchstack.${key}"` };
}

/**
 * Reads one call's `init.fetchstack.<key>` for a layer, the same way for every layer that
 * takes per-call overrides: left out, the layer's own (`own`); `false`, `undefined` (off for
 * this call); `true`, `on()`; a number or an options object, `build(value)`, built and checked
 * once per number (the last 32) and per object (while it lives), so calls that reuse one pay
 * nothing more (the object is read once: changing it afterwards changes nothing). Anything
 * else throws `TypeError`: `fetch(input, init): "fetchstack.<key>" must be <shapes>, true or
 * false; got <value>.`
 */
export function callOverrides<T>(
  key: string,
  shapes: string,
  own: T | undefined,
  on: () => T | undefined,
  build: (value: number | object) => T | undefined,
): (init: RequestInit | undefined) => T | undefined {
  const byObject = new WeakMap<object, T | undefined>();
  const byNumber = new Map<number, T | undefined>();
  return function overrideOf(init) {
    const box = (init as { fetchstack?: unknown } | undefined)?.fetchstack;
    const value =
      typeof box === 'object' && box !== null ? (box as Record<string, unknown>)[key] : undefined;
    if (value === undefined) return own;
    if (value === false) return undefined;
    if (value === true) return on();
    const cache = (
      typeof value === 'number'
        ? byNumber
        : typeof value === 'object' && value !== null && !Array.isArray(value)
          ? byObject
          : undefined
    ) as Map<unknown, T | undefined> | undefined;
    if (!cache) {
      throw new TypeError(
        `${callSite(key).self} must be ${shapes}, true or false; got ${describeValue(value)}.`,
      );
    }
    if (cache.has(value)) return cache.get(value);
    const built = build(value as number | object);
    if (cache === (byNumber as unknown) && byNumber.size >= 32) byNumber.clear();
    cache.set(value, built);
    return built;
  };
}
