// How Bun and workerd mark a network failure, beyond the messages every runtime shares
// (measured): Bun throws a TypeError with a `code` (ECONNREFUSED, ECONNRESET, ENOTFOUND,
// Malformed_HTTP_Response); workerd a plain Error 'Network connection lost.' (refused, reset)
// or 'internal error; reference = ...' (a response that is not HTTP). Browsers get
// runtime-errors.browser.js instead (the `browser` field of package.json), which has none of this.
import { runtime } from '@fetchstack/core/internal';

const workerdInternal = /^internal error; reference = /;

/** Bun's codes of a TypeError that refuses the call itself: an argument, a body read already. */
const bunRefusals = new Set(['ERR_INVALID_ARG_TYPE', 'ERR_BODY_ALREADY_USED']);

/** Bun: a TypeError's `code` that names a network failure (a refusal of the call does not). */
export function bunNetworkCode(code: unknown): boolean {
  return runtime === 'bun' && typeof code === 'string' && !bunRefusals.has(code);
}

/** workerd: whether a plain `Error` with this message is a network failure. */
export function workerdNetworkError(message: string, networkMessages: RegExp): boolean {
  return runtime === 'workerd' && (networkMessages.test(message) || workerdInternal.test(message));
}
