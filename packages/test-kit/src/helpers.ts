import type { ServerInfo } from './env.js';

let counter = 0;
/** A fresh id for the test server's per-id state (flaky counters, request logs). */
export function uid(prefix = 't'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${counter}`;
}

/** What the test server saw for one request. */
export interface Seen {
  method: string;
  /** path + query */
  url: string;
  /** `host:port` the request came in on */
  listener: string;
  /** header names lower-cased; repeated headers joined with ", " */
  headers: Record<string, string>;
  body: string;
  socket: number;
}

/**
 * Every request the test server saw carrying `?log=<id>` (on any of its ports),
 * oldest first. Read through plain fetch, so the code under test is not involved.
 */
export async function seen(server: ServerInfo, id: string): Promise<Seen[]> {
  const res = await fetch(`${server.http}/__log?id=${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`test server /__log answered ${res.status}`);
  return (await res.json()) as Seen[];
}

/** A counter kept by the test server (e.g. tries of `/flaky?id=`). */
export async function count(server: ServerInfo, id: string): Promise<number> {
  const res = await fetch(`${server.http}/__count?id=${encodeURIComponent(id)}`);
  return ((await res.json()) as { count: number }).count;
}

/** Sockets a listener has seen since it started: `{ total, open }`. */
export async function sockets(base: string): Promise<{ total: number; open: number }> {
  const res = await fetch(`${base}/__sockets`, { headers: { connection: 'close' } });
  return (await res.json()) as { total: number; open: number };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Every string an error and its causes hold, as `name: value` lines (what `console.error`
 * prints: the message, the stack, and properties such as a URL parser's `input` and `base`).
 */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    for (const key of Object.getOwnPropertyNames(e)) {
      const value = (e as Record<string, unknown>)[key];
      if (typeof value === 'string') texts.push(`${key}: ${value}`);
    }
    e = (e as { cause?: unknown }).cause;
  }
  return texts;
}

/**
 * A value as the runtime's console prints it as text (Node's and Workers' `node:util` inspect,
 * `Deno.inspect`, `Bun.inspect`); `undefined` where there is no such printer (a browser).
 */
export function printed(value: unknown): string | undefined {
  const g = globalThis as {
    Deno?: { inspect(value: unknown): string };
    Bun?: { inspect(value: unknown): string };
    process?: { getBuiltinModule?(id: string): unknown };
  };
  if (g.Deno) return g.Deno.inspect(value);
  if (g.Bun) return g.Bun.inspect(value);
  const util = g.process?.getBuiltinModule?.('node:util') as
    | { inspect(value: unknown): string }
    | undefined;
  return util?.inspect(value);
}

/**
 * `init` values that some runtime's fetch refuses with a `TypeError` before sending anything,
 * each named (an unknown enumeration value, a `window`, `only-if-cached` outside `same-origin`,
 * a stream body without `duplex`, a `signal` that is not an `AbortSignal`). Each call of a maker gives a fresh init (a fresh stream).
 */
export function refusedInits(): [string, () => RequestInit][] {
  const oneByte = () =>
    new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array([120]));
        c.close();
      },
    });
  return [
    ["redirect: 'MANUAL'", () => ({ redirect: 'MANUAL' as RequestRedirect })],
    ["mode: 'navigate'", () => ({ mode: 'navigate' })],
    ["credentials: 'bogus'", () => ({ credentials: 'bogus' as RequestCredentials })],
    ["cache: 'bogus'", () => ({ cache: 'bogus' as RequestCache })],
    ["referrerPolicy: 'bogus'", () => ({ referrerPolicy: 'bogus' as ReferrerPolicy })],
    ["duplex: 'full'", () => ({ duplex: 'full' }) as RequestInit],
    ['window: {}', () => ({ window: {} }) as unknown as RequestInit],
    ["cache: 'only-if-cached' without mode", () => ({ cache: 'only-if-cached' })],
    ['a stream body without duplex', () => ({ method: 'POST', body: oneByte() })],
    ['signal: {}', () => ({ signal: {} }) as unknown as RequestInit],
  ];
}

/** How a call ended: 'resolved' (its body cancelled), 'TypeError', or the error's name. */
export function outcomeOf(call: () => Promise<Response>): Promise<string> {
  return call().then(
    async (res) => {
      await res.body?.cancel();
      return 'resolved';
    },
    (e: unknown) => (e instanceof TypeError ? 'TypeError' : `${(e as Error)?.name}`),
  );
}
