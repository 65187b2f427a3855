// @fetchstack/session/lean: the same as the default entry, except that `session.client`
// (ky) is left out, so ky is not bundled; withClient() from '@fetchstack/session/client' adds it.
// Only `export *` lines (see errors.ts).
export * from './errors.js';
export * from './lean-create.js';
export * from './public.js';
