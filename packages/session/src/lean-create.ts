// The lean entry's createSession (no ky), re-exported by lean.ts with `export *`.
export { createSession } from './session.js';
