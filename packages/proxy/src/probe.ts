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
