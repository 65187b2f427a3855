import { kyClient } from './ky-client.js';
import type { SessionOptions } from './options.js';
import { makeSession, type Session } from './session.js';

/**
 * Makes a session: one fetch with default headers, auth, cookies, redirects, retries,
 * timeouts, proxy and mounts; `session.client` is a ky instance over it (made on first use).
 *
 * ```ts
 * import { createSession } from '@fetchstack/session';
 * await using session = createSession({ baseUrl: 'https://api.example.com/v1/', auth: { bearer: token } });
 * const me = await session.client.get('users/me').json();
 * ```
 */
export function createSession(options: SessionOptions = {}): Session {
  return makeSession(options, kyClient);
}
