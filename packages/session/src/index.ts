// The default entry: everything in the lean entry, with a createSession whose
// `session.client` is ky (an explicit export wins over the `export *` name).
export * from './lean.js';
export { createSession } from './with-ky.js';
