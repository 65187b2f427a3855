/**
 * Helpers shared by the fetchstack packages, one module per idea. Not part of the
 * public contract: names here may change between minor versions. They live in core
 * (behind a subpath, so `@fetchstack/core` itself stays types + compose) so that no
 * package writes its own copy of these.
 *
 * - `runtime`: which runtime this is; the platform classes as they were at load
 * - `bad-port`: the ports fetch refuses
 * - `base-url`: the base URL fetch resolves a relative URL against (a page's, a worker's)
 * - `call`: reading a fetch call (URL, method, headers, signal) as fetch reads it
 * - `context`: the per-call context layers pass down; `extendInit`
 * - `body`: request bodies (which can be sent twice); discarding an unread response
 * - `replay`: making a one-shot request body replayable
 * - `response`: the one way to re-wrap a Response (`url`, `redirected`, `type` kept)
 * - `redact`: credential headers; redacting URLs and headers for messages and logs
 * - `printable`: a response held by an error prints with its secrets hidden
 * - `lazy`: a module behind a dynamic import(), loaded once
 * - `values`: describing a value for a message; telling a plain object
 * - `options`: option checking and the wording of its errors
 * - `option-table`: option checks described as data (a table per factory), read by one reader
 * - `overrides`: reading one call's `init.fetchstack.<key>`
 * - `abort`: abort reasons, abortable waits, linked controllers
 * - `node-init`: what Node's fetch refuses in an `init` before it sends anything
 */

export * from './abort.js';
export * from './bad-port.js';
export * from './base-url.js';
export * from './body.js';
export * from './call.js';
export * from './context.js';
export * from './defined-headers.js';
export * from './describe.js';
export type * from './globals.js';
export * from './lazy.js';
export * from './node-init.js';
export * from './option-table.js';
export * from './options.js';
export * from './overrides.js';
export * from './owned.js';
export * from './owned-headers.js';
export * from './printable.js';
export * from './redact.js';
export * from './replay.js';
export * from './response.js';
export * from './runtime.js';
export * from './values.js';
