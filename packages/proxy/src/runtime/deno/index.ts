// Deno (the "deno" condition): Deno.createHttpClient per route, Deno's own fetch.
import { entry } from '../../entry.js';
import { denoBackend } from './backend.js';

export * from '../../exports.js';
export const { createTransport, proxy } = entry(denoBackend);
