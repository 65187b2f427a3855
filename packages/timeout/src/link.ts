import { abortReason } from '@fetchstack/core/internal';

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

/** The signal a fetch call carries: `init.signal` wins over a Request's own. */
export function signalOf(
  input: string | URL | Request,
  init: RequestInit | undefined,
): AbortSignal | undefined {
  if (init && 'signal' in init && init.signal !== undefined) return init.signal ?? undefined;
  if (typeof input === 'object' && !(input instanceof URL) && input.signal) return input.signal;
  return undefined;
}
