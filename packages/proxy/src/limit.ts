import { abortReason, rewrap } from '@fetchstack/core/internal';

// Deno and Bun have no cap on sockets per origin (Deno's poolMaxIdlePerHost only bounds idle
// ones), so the transport caps requests in flight per origin itself. A request holds its slot
// until its response body is done (read to the end, cancelled or failed): until then the
// runtime keeps its socket busy.

type Release = () => void;

export class OriginLimiter {
  readonly #max: number;
  readonly #slots = new Map<string, { busy: number; waiting: (() => void)[] }>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Resolves when a slot for `origin` is free; rejects with the signal's reason on abort. */
  acquire(origin: string, signal?: AbortSignal | null): Promise<Release> {
    let slot = this.#slots.get(origin);
    if (!slot) {
      slot = { busy: 0, waiting: [] };
      this.#slots.set(origin, slot);
    }
    const s = slot;
    let released = false;
    const release: Release = () => {
      if (released) return;
      released = true;
      s.busy -= 1;
      const next = s.waiting.shift();
      if (next) next();
      else if (s.busy === 0) this.#slots.delete(origin);
    };
    if (s.busy < this.#max) {
      s.busy += 1;
      return Promise.resolve(release);
    }
    return new Promise<Release>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        s.busy += 1;
        resolve(release);
      };
      const onAbort = () => {
        const i = s.waiting.indexOf(go);
        if (i !== -1) s.waiting.splice(i, 1);
        reject(abortReason(signal as AbortSignal));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      s.waiting.push(go);
    });
  }
}

/**
 * The same response whose body calls `done` once it is finished, cancelled or failed
 * (status, statusText, headers, `url`, `redirected` and `type` kept).
 *
 * With `delayEnd`, the body ends one macrotask after its last chunk. Deno (like undici) puts the
 * connection back in its pool only after the reader's promise callbacks ran, so a request sent
 * right after `await res.json()` would open a second socket; the delay lets it reuse the first.
 */
export function onBodyDone(res: Response, done: () => void, delayEnd = false): Response {
  if (!res.body) {
    done();
    return res;
  }
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done: finished } = await reader.read();
        if (finished) {
          if (delayEnd) await new Promise((resolve) => setTimeout(resolve, 0));
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
  return rewrap(res, body);
}
