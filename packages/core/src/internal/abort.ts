/** The reason an aborted signal carries, or a DOMException like the platform's. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Waits `ms`, or rejects at once with the signal's reason when it aborts.
 * The timer and the listener are both gone when the promise settles.
 */
export function delay(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `promise`, or the signal's reason as soon as it aborts (the promise itself runs on). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * An AbortController that follows `parent`: when the parent aborts, so does this
 * one, with the parent's reason. Unlike `AbortSignal.any`, the one listener it
 * puts on the parent is removed by `release()`, so a long-lived parent signal
 * (one controller shared by many requests) does not collect listeners (Node 20
 * and 22 have leaked through `AbortSignal.any` with long-lived signals).
 */
export interface Link {
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
  /** Removes the listener on the parent; idempotent. */
  release(): void;
}

export function link(parent: AbortSignal | undefined): Link {
  const controller = new AbortController();
  if (!parent) {
    return { signal: controller.signal, abort: (r) => controller.abort(r), release() {} };
  }
  if (parent.aborted) {
    controller.abort(abortReason(parent));
    return { signal: controller.signal, abort() {}, release() {} };
  }
  const onAbort = () => controller.abort(abortReason(parent));
  parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (r) => controller.abort(r),
    release: () => parent.removeEventListener('abort', onAbort),
  };
}
