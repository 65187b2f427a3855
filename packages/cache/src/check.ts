// Checking the options of `cache()` (and of a session's `cache`), apart from the engine: a
// session checks its `cache` option when it is created and loads the engine (the policy
// library and the layer) only on its first cached call.
import { aFunction, is, type OptionTable, readOptions } from '@fetchstack/core/internal';
import type { CacheOptions } from './options.js';
import type { CacheStore } from './store.js';

/**
 * What each option takes (see `OptionTable`). Nothing is filled in here: a key left out keeps
 * its default, or one call's override keeps the layer's value (config.ts).
 */
const options: OptionTable = {
  store: is(
    isStore,
    'a cache store (an object with get, set and delete methods, such as new MemoryStore())',
  ),
  shared: is((value) => typeof value === 'boolean', 'true or false'),
  maxBodySize: [undefined, 'bytes', true],
  heuristic: is(
    (value) => typeof value === 'number' && value >= 0 && value <= 1,
    'a fraction between 0 and 1',
  ),
  onStoreError: aFunction,
  now: aFunction,
};

/** Checks `options`; a bad value throws a `TypeError` naming it (prefixed with `where`). */
export function checkCacheOptions(given: CacheOptions | undefined, where: string): CacheOptions {
  readOptions(given, options, where);
  return given ?? {};
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
