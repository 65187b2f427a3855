// What the shared jar and the shared token use of a store: its bounded commands, and Redis
// pub/sub on a connection of its own (a subscribed connection can send nothing else), made on
// first use by duplicating the store's client.
import { closeWithin } from './close.js';

/** The part of a store the shared jar and the shared token use. */
export interface Link {
  readonly prefix: string;
  /** The most one command waits for Redis, in ms. */
  readonly timeout: number;
  /** How long a refresh's lease lasts without renewal, in ms. */
  readonly lease: number;
  /** One command, bounded by `timeout`; a failure is reported once per outage and rethrown. */
  command(args: string[]): Promise<unknown>;
  /** A Lua script, bounded likewise. */
  script(text: string, keys: string[], args: string[]): Promise<unknown>;
  /**
   * Calls `onMessage` for each message published on `channel`, and `onReady` each time the
   * subscription is made (the first time, and again after each reconnection: messages sent
   * while it was down are lost, so the listener reads the state again).
   */
  listen(channel: string, onMessage: (message: string) => void, onReady: () => void): void;
  /** Whether the store was closed (work retried in the background stops). */
  closed(): boolean;
}

/**
 * Runs `work` until it succeeds, a few times over about 15 s (waiting 100 ms, then twice as
 * long each time, up to 2 s), unless `stopped()`. For what must follow a reconnection: the
 * notifications' connection may be back before the commands' one is.
 */
export async function retried(work: () => Promise<void>, stopped: () => boolean): Promise<void> {
  for (let attempt = 0, wait = 100; ; attempt++, wait = Math.min(wait * 2, 2_000)) {
    try {
      return await work();
    } catch (error) {
      if (stopped() || attempt >= 10) throw error;
    }
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, wait);
      (timer as { unref?: () => void }).unref?.();
    });
  }
}

/** What the channel uses of a node-redis client. */
interface Subscriber {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: 'ready' | 'error', listener: (...args: unknown[]) => void): unknown;
  close(): Promise<unknown>;
  destroy(): void;
}

interface Listener {
  readonly channel: string;
  readonly onMessage: (message: string) => void;
  readonly onReady: () => void;
  subscribed: boolean;
}

/**
 * The pub/sub connection of the shared jar and token. A client without `duplicate()` (not a
 * node-redis client) gives none: listeners are then never called, and the shared state is
 * read from Redis alone (the jar once, the token while a refresh is awaited).
 */
export class Channel {
  private sub: Subscriber | undefined;
  private connected = false;
  private closed = false;
  private readonly listeners: Listener[] = [];

  /** `connection` makes the connection to subscribe on (`undefined`: none can be made). */
  constructor(private readonly connection: () => unknown) {}

  listen(channel: string, onMessage: (message: string) => void, onReady: () => void): void {
    if (this.closed) return;
    const listener: Listener = { channel, onMessage, onReady, subscribed: false };
    this.listeners.push(listener);
    if (!this.sub) this.open();
    else if (this.connected) this.subscribe(listener);
  }

  /** Closes the connection, for at most `ms` (a Redis that does not answer would hold it). */
  async close(ms: number): Promise<void> {
    this.closed = true;
    const sub = this.sub;
    if (!sub) return;
    if (sub.isReady) await closeWithin(sub, ms);
    else sub.destroy();
  }

  /**
   * Drops the connection and makes a new one (the store found it silent): every listener
   * subscribes again and reads the state again.
   */
  restart(): void {
    const sub = this.sub;
    if (!sub || this.closed) return;
    this.sub = undefined;
    this.connected = false;
    sub.destroy();
    for (const listener of this.listeners) listener.subscribed = false;
    this.open();
  }

  private open(): void {
    const sub = this.connection() as Subscriber | undefined;
    if (!sub) return;
    this.sub = sub;
    // Its failures show in the store's own commands (reported once per outage).
    sub.on('error', () => {});
    sub.on('ready', () => {
      if (!this.connected || this.closed) return;
      // node-redis subscribes again before it says `ready`: the listeners read the state again.
      for (const listener of this.listeners) {
        if (listener.subscribed) listener.onReady();
        else this.subscribe(listener);
      }
    });
    sub.connect().then(
      () => {
        this.connected = true;
        for (const listener of this.listeners) this.subscribe(listener);
      },
      () => {},
    );
  }

  private subscribe(listener: Listener): void {
    const sub = this.sub;
    if (!sub || this.closed) return;
    sub.subscribe(listener.channel, listener.onMessage).then(
      () => {
        if (listener.subscribed || this.closed) return;
        listener.subscribed = true;
        listener.onReady();
      },
      // Not subscribed (the connection dropped): tried again at the next `ready`.
      () => {},
    );
  }
}
