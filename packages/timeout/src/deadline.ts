// The clocks of calls in flight, on servers (Node, Deno, Bun): one platform timer per
// duration instead of one per call. Most calls end long before their limit, and arming and
// clearing a platform timer for each costs more than the rest of the layer (about 0.7 µs a
// call on Node 20, against about 0.1 µs to link and unlink an entry here).
//
// Calls with the same limit in ms expire in the order they started, so each duration keeps
// its calls in a list in that order and one timer armed for the first of them: when it fires,
// the calls past their deadline fire (in order) and the timer is armed again for the next one.
// A call that ends unlinks itself (O(1)). Deadlines are exact (never early; late only by the
// platform timer's own lateness).
//
// The timer is unref'd: it does not keep a process alive (as `AbortSignal.timeout()`'s does
// not); the connection a call waits on does. Browsers and Workers use deadline.browser.ts
// (a timer per call: in a Worker, a timer started during one request must not carry the
// deadlines of the next).

import { type Deadline, deadline as timerPerCall } from './deadline.browser.js';

export type { Deadline };

interface Entry extends Deadline {
  at: number;
  fire: ((arg: unknown) => void) | undefined;
  /** What `fire` is called with. */
  arg: unknown;
  prev: Entry;
  next: Entry;
}

/** The calls with one limit, oldest first (a ring with a sentinel head), and their timer. */
interface Lane {
  readonly ms: number;
  readonly head: Entry;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const lanes = new Map<number, Lane>();
const now = () => performance.now();
// A Worker bundled without the "browser" field still gets a timer per call.
const perCall =
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
  'Cloudflare-Workers';

function unlink(this: Entry): void {
  if (this.fire === undefined) return;
  this.fire = undefined;
  this.prev.next = this.next;
  this.next.prev = this.prev;
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === 'object') (timer as { unref?: () => void }).unref?.();
  else (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno?.unrefTimer?.(timer);
}

function arm(lane: Lane, wait: number): void {
  lane.timer = setTimeout(expire, wait, lane);
  unref(lane.timer);
}

function expire(lane: Lane): void {
  lane.timer = undefined;
  const { head } = lane;
  const t = now();
  for (let entry = head.next; entry !== head; entry = head.next) {
    // The platform's timers count whole ms and may run a fraction of one early: wait again.
    if (entry.at > t) {
      arm(lane, Math.ceil(entry.at - t));
      return;
    }
    const { fire, arg } = entry;
    entry.cancel();
    try {
      fire!(arg);
    } catch (error) {
      // The calls behind this one still get their turn; the error is not swallowed.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
  // Nothing left with this limit: forget it, so that limits used once (a call's own, say the
  // time left until a deadline of the caller's) do not pile up.
  lanes.delete(lane.ms);
}

/**
 * Calls `fire(arg)` after `ms`, unless the deadline is cancelled first (as `setTimeout` passes
 * its extra argument: a caller with one `fire` for every call needs no closure per call).
 * `start` is now, on `performance.now()`'s clock, for a caller that has just read it (one
 * clock read less a call).
 */
export function deadline<T>(ms: number, fire: (arg: T) => void, arg?: T, start = now()): Deadline {
  if (perCall) return timerPerCall(ms, fire, arg);
  let lane = lanes.get(ms);
  if (lane === undefined) {
    const head = { fire: undefined } as Entry;
    head.prev = head;
    head.next = head;
    lane = { ms, head, timer: undefined };
    lanes.set(ms, lane);
  }
  const { head } = lane;
  const entry: Entry = {
    at: start + ms,
    fire: fire as (arg: unknown) => void,
    arg,
    prev: head.prev,
    next: head,
    cancel: unlink,
  };
  head.prev.next = entry;
  head.prev = entry;
  if (lane.timer === undefined) arm(lane, ms);
  return entry;
}
