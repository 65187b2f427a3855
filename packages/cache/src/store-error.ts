import { FetchstackError, isErrorNamed } from '@fetchstack/core';
import { redactErrorText, redactUrl } from '@fetchstack/core/internal';

/** What the cache was asking its store when the store failed. */
export type StoreOperation = 'get' | 'set' | 'delete';

/**
 * A store failed (threw or rejected). The call it happened in went on without the cache
 * (to the network); this error is what `onStoreError` receives. Like every fetchstack error it
 * names the call's `method` and `url`, secrets removed (from `key` and from the store's own
 * error in `cause` too, wherever it quotes the URL).
 */
export class CacheStoreError extends FetchstackError {
  override name = 'CacheStoreError';
  /** What the cache asked the store. */
  readonly operation: StoreOperation;
  /** The key (the URL) it asked about, with its secrets redacted as in `url`. */
  readonly key: string;

  constructor(operation: StoreOperation, key: string, cause: unknown, method = 'GET') {
    const url = redactUrl(key);
    redactErrorText(cause, key);
    const reason = (cause instanceof Error ? cause.message : String(cause)).split(key).join(url);
    super(
      'CACHE_STORE_FAILED',
      `cache: the store failed to ${operation} ${url} (${reason}); the call went on without the cache.`,
      { at: { method, url }, cause },
    );
    this.operation = operation;
    this.key = url;
  }
}

/** True for a `CacheStoreError`, from any copy of the package. */
export function isCacheStoreError(error: unknown): error is CacheStoreError {
  return isErrorNamed<CacheStoreError>(error, 'CacheStoreError');
}
