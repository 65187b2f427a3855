// How Bun and workerd mark a network failure, beyond the messages every runtime shares
// (measured): Bun throws a TypeError with a `code` (ECONNREFUSED, ECONNRESET, ENOTFOUND,
// Malformed_HTTP_Response); workerd a plain Error 'Network connection lost.' (refused, reset)
// or 'internal error; reference = ...' (a response that is not HTTP). And how Node's fetch
// names a refusal that looks like a network failure. Browsers get runtime-errors.browser.js
// instead (the `browser` field of package.json), which has none of this: a browser's fetch
// rejects with the same cause-less TypeError for all of these.
import { runtime } from '@fetchstack/core/internal';

const workerdInternal = /^internal error; reference = /;

/** Bun's codes of a TypeError that refuses the call itself: an argument, a body read already. */
const bunRefusals = new Set(['ERR_INVALID_ARG_TYPE', 'ERR_BODY_ALREADY_USED']);

/** Bun: a TypeError's `code` that names a network failure (a refusal of the call does not). */
export function bunNetworkCode(code: unknown): boolean {
  return runtime === 'bun' && typeof code === 'string' && !bunRefusals.has(code);
}

/**
 * Node's fetch (and the session's Node transport): the `cause` of its 'fetch failed' names a
 * refusal by fetch's own rules, which fails the same way when sent again: the body did not
 * match the call's `integrity`; a redirect left the origin of a `mode: 'same-origin'` call; the
 * URL's port is one fetch never connects to (known without the URL too).
 */
const nodeRefusals = /^(?:integrity mismatch|request mode cannot be "same-origin"|bad port)$/;

/** Node: whether a network error's `cause` is a refusal by fetch's own rules (not retried). */
export function nodeRefusal(cause: { message?: unknown } | undefined): boolean {
  return typeof cause?.message === 'string' && nodeRefusals.test(cause.message);
}

/** workerd: whether a plain `Error` with this message is a network failure. */
export function workerdNetworkError(message: string, networkMessages: RegExp): boolean {
  return runtime === 'workerd' && (networkMessages.test(message) || workerdInternal.test(message));
}
