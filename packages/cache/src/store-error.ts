import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { redactUrl } from '@fetchstack/core/internal';

/** What the cache was asking its store when the store failed. */
export type StoreOperation = 'get' | 'set' | 'delete';

/**
 * A store failed (threw or rejected). The call it happened in went on without the cache
 * (to the network); this error is what `onStoreError` receives.
 */
export class CacheStoreError extends FetchstackError {
  override name = 'CacheStoreError';
  /** What the cache asked the store. */
  readonly operation: StoreOperation;
  /** The key (the URL) it asked about. */
  readonly key: string;

  constructor(operation: StoreOperation, key: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'CACHE_STORE_FAILED',
      `cache: the store failed to ${operation} ${redactUrl(key)} (${reason}); the call went on without the cache.`,
      { cause },
    );
    this.operation = operation;
    this.key = key;
  }
}

/** True for a `CacheStoreError`, from any copy of the package. */
export function isCacheStoreError(error: unknown): error is CacheStoreError {
  return isErrorNamed<CacheStoreError>(error, 'CacheStoreError');
}
