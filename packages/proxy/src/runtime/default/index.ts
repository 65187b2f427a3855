// The "default" condition (a bundler or runtime that set none of the others): Deno and Bun
// are recognised by feature detection; anything else gets the refusal of browsers and Workers.
// Node always sets "node", so undici never loads from here.

import { runtime } from '@fetchstack/core/internal';
import { entry } from '../../entry.js';
import type { TransportFactories } from '../../types.js';
import { bunBackend } from '../bun/backend.js';
import { denoBackend } from '../deno/backend.js';
import * as edge from '../edge/index.js';

export * from '../../exports.js';
export const { createTransport, proxy }: TransportFactories =
  runtime === 'deno' ? entry(denoBackend) : runtime === 'bun' ? entry(bunBackend) : edge;
