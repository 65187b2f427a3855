// Checking the options of `cache()` (and of a session's `cache`), apart from the engine: a
// session checks its `cache` option when it is created and loads the engine (the policy
// library and the layer) only on its first cached call.
import {
  assertKnownKeys,
  assertNumber,
  assertOptionsObject,
  describeValue,
} from '@fetchstack/core/internal';
import { type CacheOptions, optionKeys } from './options.js';
import type { CacheStore } from './store.js';

/** Checks `options`; a bad value throws a `TypeError` naming it (prefixed with `where`). */
export function checkCacheOptions(options: CacheOptions | undefined, where: string): CacheOptions {
  assertOptionsObject(options, where);
  const o: CacheOptions = options ?? {};
  assertKnownKeys(o, optionKeys, where);
  if (o.store !== undefined && !isStore(o.store)) {
    throw new TypeError(
      `${where}: "store" must be a cache store (an object with get, set and delete methods, such as new MemoryStore()); got ${describeValue(o.store)}.`,
    );
  }
  if (o.shared !== undefined && typeof o.shared !== 'boolean') {
    throw new TypeError(
      `${where}: "shared" must be true or false; got ${describeValue(o.shared)}.`,
    );
  }
  assertNumber(o.maxBodySize, 'maxBodySize', where, { min: 0, integer: true, unit: 'bytes' });
  assertNumber(o.heuristic, 'heuristic', where, { min: 0 });
  if (o.heuristic !== undefined && o.heuristic > 1) {
    throw new TypeError(
      `${where}: "heuristic" must be a fraction between 0 and 1; got ${o.heuristic}.`,
    );
  }
  for (const name of ['onStoreError', 'now'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw new TypeError(`${where}: "${name}" must be a function; got ${describeValue(o[name])}.`);
    }
  }
  return o;
}

/** True for an object with the store methods. */
export function isStore(value: unknown): value is CacheStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['get', 'set', 'delete'].every(
      (name) => typeof (value as Record<string, unknown>)[name] === 'function',
    )
  );
}
