// Its own module, so that the browser and Workers build loads it (and URL redaction) only
// with a call after close(), not with the guard isTransportClosedError.
import { callLabel } from '@fetchstack/core/internal';

/** What a call after `close()` is told, in every build. */
export function closedMessage(input: string | URL | Request, init?: RequestInit): string {
  return `${callLabel(input, init)}: this transport was closed (close() was called), so it has no sockets left; create a new one.`;
}
