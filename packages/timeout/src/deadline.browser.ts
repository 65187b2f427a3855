// The clocks of calls in flight, in browsers and Workers: a platform timer per call (see
// deadline.ts for servers). In a Worker a timer belongs to the request that started it, so
// one request's timer must not carry the deadlines of calls made by the next.

/** A call's deadline: cancel it when the call ends. */
export interface Deadline {
  cancel(): void;
}

/** Calls `fire(arg)` after `ms`, unless the deadline is cancelled first (`start`: see deadline.ts). */
export function deadline<T>(
  ms: number,
  fire: (arg: T) => void,
  arg?: T,
  _start?: number,
): Deadline {
  const timer = setTimeout(fire, ms, arg);
  return { cancel: () => clearTimeout(timer) };
}
