// Node (the "node" condition): undici 7 from npm, through its public API.
import { entry } from '../../entry.js';
import { nodeBackend } from './backend.js';

export * from '../../exports.js';
export const { createTransport, proxy } = entry(nodeBackend);
