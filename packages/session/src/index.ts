// The default entry: everything in the lean entry, with a createSession whose
// `session.client` is ky. Only `export *` lines (see errors.ts).
export * from './errors.js';
export * from './public.js';
export * from './with-ky.js';
