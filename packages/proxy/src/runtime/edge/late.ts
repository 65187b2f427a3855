// Loaded by the browser and Workers transport only when a call fails or comes after close():
// describing the request (its URL with credentials removed) is the larger part of the
// package there, and a page that never sees a failure never loads it.
import type { FetchstackErrorOptions } from '@fetchstack/core';
import { abortOf, annotate, describeCall, type Input } from '@fetchstack/core/internal';
import { closedMessage } from '../../errors/closed-message.js';

/**
 * A failure of the platform's fetch, saying which request failed (`method`, `url` without
 * credentials, the runtime's `code`); the caller's abort reason is passed on untouched.
 */
export function explain(error: unknown, input: Input, init: RequestInit | undefined): unknown {
  return error === abortOf(input, init)?.reason ? error : annotate(error, input, init);
}

/** How the browser and Workers build's error classes are made: from a message. */
export type MadeFromMessage = new (message: string, options: FetchstackErrorOptions) => Error;

/** The error of a call after `close()`, made with `Closed` (the build's TransportClosedError). */
export function closed(
  Closed: MadeFromMessage,
  input: Input,
  init: RequestInit | undefined,
): Error {
  return new Closed(closedMessage(input, init), { at: describeCall(input, init) });
}
