// What the per-call code of `bearerAuth` (bearer-calls.ts) is handed by its factory instead of
// importing it (`digestAuth`'s is handed `AuthError` alone). It is part of what a page loads up front, and a
// module imported both by that code and by the per-call code would be split by bundlers into a
// chunk of its own, one more file (and request) up front.
import { AuthError } from './auth-error.js';
import { isToken, shown } from './check.js';

export const handed = { AuthError, isToken, shown };

/** What `handed` holds. */
export type Handed = typeof handed;
