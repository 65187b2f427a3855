// Deno and Bun have no connect-timeout setting on fetch. The transport therefore checks, with a
// TCP connect bounded by `connect`, that a host:port accepts connections the first time it sends
// there (and again after a network error), then lets the runtime's fetch connect as usual.

export type Dial = (hostname: string, port: number) => { done: Promise<void>; cancel(): void };

/**
 * A Dial over a runtime's TCP connect: the socket is closed as soon as it opens (even when
 * the probe already gave up: the connect cannot be aborted, so a late socket is closed at once).
 */
export function dialWith<S>(
  connect: (hostname: string, port: number) => Promise<S>,
  close: (socket: S) => void,
): Dial {
  return (hostname, port) => {
    const pending = connect(hostname, port);
    pending.then(close, () => {});
    return { done: pending.then(() => {}), cancel: () => {} };
  };
}

export class ConnectProbe {
  readonly #ms: number;
  readonly #dial: Dial;
  readonly #known = new Map<string, Promise<void>>();

  constructor(ms: number, dial: Dial) {
    this.#ms = ms;
    this.#dial = dial;
  }

  /** Resolves once `url`'s host:port accepted a connection; rejects 'timeout' when it did not in time. */
  check(url: URL): Promise<void> {
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const key = `${host}:${port}`;
    let known = this.#known.get(key);
    if (!known) {
      known = this.#attempt(host, port);
      this.#known.set(key, known);
      known.catch(() => this.#known.delete(key));
    }
    return known;
  }

  /** Forget a host:port (after a network error), so the next request checks again. */
  forget(url: URL): void {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    this.#known.delete(`${url.hostname.replace(/^\[|\]$/g, '')}:${port}`);
  }

  #attempt(host: string, port: number): Promise<void> {
    const attempt = this.#dial(host, port);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        attempt.cancel();
        reject(new Error('timeout'));
      }, this.#ms);
    });
    return Promise.race([attempt.done, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * Why `url`'s host:port does not accept a connection (the runtime's error code or name),
 * or `undefined` when it does. Used after a proxied request failed, to tell "the proxy is
 * down" from a failure further on, without reading the runtime's error messages.
 */
export async function unreachableReason(dial: Dial, url: URL): Promise<string | undefined> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const attempt = dial(url.hostname.replace(/^\[|\]$/g, ''), port);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      attempt.done,
      new Promise<void>((resolve) => {
        // A proxy that takes this long to accept is not "down": let the original error stand.
        timer = setTimeout(resolve, 3_000);
      }),
    ]);
    return undefined;
  } catch (error) {
    const e = error as { code?: unknown; name?: unknown } | null;
    return typeof e?.code === 'string'
      ? e.code
      : typeof e?.name === 'string'
        ? e.name
        : 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
