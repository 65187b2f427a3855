import { nullBodyStatus, rewrap } from '@fetchstack/core/internal';

/**
 * Re-wraps a response so that its body stream (a) errors with `onTimeout()`'s
 * error when the server is silent longer than `readMs` while the consumer waits
 * for a chunk, and (b) calls `done()` once the body ends, errors or is cancelled.
 *
 * The timer runs only while a read is pending (pull-based, high-water mark 0), so
 * a body nobody reads holds no timer and never keeps a process alive.
 */
export function wrapBody(
  response: Response,
  readMs: number | undefined,
  onTimeout: () => unknown,
  done: () => void,
  /** Maps a read error to the one the consumer sees (the caller's abort reason, say). */
  explain: (error: unknown) => unknown,
): Response {
  const source = response.body;
  // A null-body status (204, 304, ...) cannot be given a stream; such bodies are empty anyway.
  if (source === null || nullBodyStatus.has(response.status)) {
    done();
    return response;
  }
  const reader = source.getReader();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        let timeoutError: unknown;
        try {
          const chunk =
            readMs === undefined
              ? await reader.read()
              : await Promise.race([
                  reader.read(),
                  new Promise<never>((_, reject) => {
                    timer = setTimeout(() => {
                      // onTimeout() aborts the fetch, which may fail the pending read first
                      // (Chromium: 'Failed to fetch'): the consumer must still see the timeout.
                      timeoutError = onTimeout();
                      reject(timeoutError);
                    }, readMs);
                  }),
                ]);
          if (chunk.done) {
            finish();
            controller.close();
          } else {
            controller.enqueue(chunk.value);
          }
        } catch (caught) {
          const error = timeoutError ?? explain(caught);
          finish();
          reader.cancel(error).catch(() => {});
          controller.error(error);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  // The same status, headers, url, redirected and type, over the watched stream.
  return rewrap(response, stream);
}
