/**
 * The behaviour suite's kit: the portable runner (`group`, `test`, `run`), the
 * assertions, and helpers that read what the test server saw. Web APIs only,
 * so that it runs in Node, Deno, Bun, Chromium and workerd alike.
 */
export * from './assert.js';
export type { RuntimeName, ServerInfo, TestEnv } from './env.js';
export * from './helpers.js';
export * from './runner.js';
