// `node --import ./scripts/unit/register.mjs`: workspace packages resolve to their
// TypeScript source (see hooks.mjs). Load it after `tsx/esm`, which compiles the source.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
