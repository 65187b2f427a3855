// Which failed requests met a stale keep-alive connection: one that the server (or a proxy)
// closed or reset just as it was reused, before any byte of the response arrived. Such a
// request is sent again once, on a new connection, when its method is idempotent (send.ts).
import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';

/** Errors that say the peer reset the connection (`EPIPE`: met while writing the request). */
const resets: ReadonlySet<unknown> = new Set(['ECONNRESET', 'EPIPE']);

/**
 * The judgement, from the error's code and the bytes its connection had read when it failed:
 * a connection closed (undici's `SocketError`) or reset that had read bytes before, so one
 * that had carried a response already: a reused one. The request's own response had not
 * begun (the caller asks only for failures before the response's head). A connection that
 * had read nothing was new: its failure is not judged stale, nor one whose bytes are unknown.
 */
export function isStale(code: unknown, bytesRead: number | undefined): boolean {
  return (
    (code === 'UND_ERR_SOCKET' || resets.has(code)) &&
    typeof bytesRead === 'number' &&
    bytesRead > 0
  );
}

/** The bytes a connection the transport opened had read when it failed, by the error it failed with. */
const readWhenFailed = new WeakMap<object, number>();

/**
 * `connect`, with every socket it opens watched: when the socket fails with an error, how many
 * bytes it had read by then is kept for that error. undici fails the request running on the
 * socket with that very error (a reset is Node's own `ECONNRESET`, which, unlike undici's
 * `SocketError` for a closed connection, says nothing of the socket it happened on).
 */
export function watchFailures(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) =>
    connect(options, (...args) => {
      const socket: Socket | null = args[1];
      socket?.on('error', (error: unknown) => {
        if (typeof error === 'object' && error !== null) {
          readWhenFailed.set(error, socket.bytesRead);
        }
      });
      callback(...args);
    });
}

/**
 * Whether a request that failed with `error` before the head of its response met a stale
 * connection. undici's `SocketError` carries the socket's byte counts; a reset's error has
 * them only when its socket came from a connector made by `watchFailures` (not a tunnel
 * through an https proxy, whose sockets undici opens itself): elsewhere it is never stale.
 */
export function staleConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; socket?: { bytesRead?: unknown } | null };
  if (e.code === 'UND_ERR_SOCKET') {
    const read = e.socket?.bytesRead;
    return isStale(e.code, typeof read === 'number' ? read : undefined);
  }
  return isStale(e.code, readWhenFailed.get(error));
}
