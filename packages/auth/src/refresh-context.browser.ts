// The browser build of refresh-context.ts (chosen by the `browser` field of package.json):
// browsers have no AsyncLocalStorage, so there is nothing to look up and nothing to ship.
// `bearerAuth` then treats every call that starts while a refresh runs as possibly the
// refresh's own, as it does wherever the lookup finds nothing.
import type { RefreshContext } from './refresh-context.js';

export type { RefreshContext };

export const refreshContext: RefreshContext | undefined = undefined;
