import { kyClient } from './ky-client.js';
import type { Session, SessionClient } from './session.js';

const clients = new WeakMap<Session, SessionClient>();

/**
 * The ky instance over a session, for sessions from `@fetchstack/session/lean` (whose
 * `session.client` is left out so that ky is not bundled unless this is imported).
 * The same as `session.client` from the default entry: ky's retry 0, timeout false,
 * baseUrl = the session's; one instance per session.
 *
 * ```ts
 * import { createSession } from '@fetchstack/session/lean';
 * import { withClient } from '@fetchstack/session/client';
 * const session = createSession({ baseUrl: 'https://api.example.com/v1/' });
 * const me = await withClient(session).get('users/me').json();
 * ```
 */
export function withClient(session: Session): SessionClient {
  if (typeof session !== 'function' || !('closed' in session)) {
    throw new TypeError('withClient(session): pass a session made by createSession().');
  }
  let client = clients.get(session);
  if (!client) {
    // A session from the default entry has one already: the same instance, not a second.
    try {
      client = session.client;
    } catch {
      client = kyClient(session, session.baseUrl?.href);
    }
    clients.set(session, client);
  }
  return client;
}
