// Bun (the "bun" condition): Bun's own fetch with its `proxy` and `tls` options.
import { entry } from '../../entry.js';
import { bunBackend } from './backend.js';

export * from '../../exports.js';
export const { createTransport, proxy } = entry(bunBackend);
