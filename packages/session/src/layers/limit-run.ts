// The session's limiter, loaded on the first call through a stack with \`limit\` (limit.ts checks
// the options when the session is made): a session without \`limit\` carries none of this.
import type { Middleware } from '@fetchstack/core';
import type { LimitOptions } from '@fetchstack/limit';
import { limitChecked } from '@fetchstack/limit/limiter';
import { SessionClosedError } from '../session-closed-error.js';

/**
 * The limiter's layer for checked \`options\`. The session's \`close()\` (one of \`closers\`)
 * rejects the calls still waiting for a slot at once, with \`SessionClosedError\`: they were
 * never sent, and need not wait for a call in flight to end.
 */
export function limiterLayer(options: LimitOptions, closers: Set<() => void>): Middleware {
  const limited = limitChecked(options);
  const closedMark = {};
  closers.add(() => limited.stop(closedMark));
  return (next) => {
    const fetch = limited(next);
    return (input, init) =>
      fetch(input, init).catch((error: unknown) => {
        throw error === closedMark ? new SessionClosedError(input, init) : error;
      });
  };
}
