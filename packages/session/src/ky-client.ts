import ky, { type KyInstance } from 'ky';
import type { Session } from './session.js';

/** `session.client`: ky over the session, ky's retry and timeout off (the session owns both). */
export function kyClient(session: Session, baseUrl: string | undefined): KyInstance {
  return ky.create({
    ...(baseUrl ? { baseUrl } : {}),
    fetch: session,
    retry: 0,
    timeout: false,
  });
}
