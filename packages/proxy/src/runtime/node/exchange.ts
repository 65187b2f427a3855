// One request through an undici dispatcher, with a handler of our own given to its public
// `dispatch()`, instead of `dispatcher.request()`: the response body goes from undici's parser
// straight into the web stream the Response carries. `request()` puts a Node stream and an
// async resource in between, and the Response needed a second stream over that one.
import { Readable } from 'node:stream';
import { type AbortLike, abortReason } from '@fetchstack/core/internal';
import type { Dispatcher } from 'undici';

/** The head of a response, as `request()` gives it, and its body as it arrives. */
export interface Answer {
  statusCode: number;
  statusText: string;
  /** Lower-case names; a name sent on several lines has an array of values. */
  headers: Record<string, string | string[] | undefined>;
  body: Incoming;
}

/** Bytes kept before the body's reader takes them; past this, undici stops reading the socket. */
const highWaterMark = 65_536;
/** What `dump()` reads and drops before it closes the connection instead (undici's default). */
const dumpLimit = 131_072;
/** The body stream's queue, counted in bytes: one object for every response, not one each. */
const byteQueue: QueuingStrategy<Uint8Array> = { highWaterMark, size: (chunk) => chunk.byteLength };
/** No chunk (what a body that kept none gives its reader). */
const none: readonly Uint8Array[] = [];
/** The options of the abort listener, shared by every call. */
const once = { once: true };

/** What a dispatcher is doing: the calls it carries and those still waiting for a response. */
interface Calls {
  /** Dispatched and not yet complete (the body not all delivered, nor failed). */
  running: number;
  /** Dispatched and not yet answered (no response head, nor failure). */
  waiting: number;
  /** Resolved when `waiting` drops to 0. */
  idle: (() => void)[];
  /** Aborted before undici gave them a connection, and still queued there (see `exchange`). */
  dropped: number;
}

const callsByDispatcher = new WeakMap<Dispatcher, Calls>();

function callsOf(dispatcher: Dispatcher): Calls {
  let calls = callsByDispatcher.get(dispatcher);
  if (!calls) {
    calls = { running: 0, waiting: 0, idle: [], dropped: 0 };
    callsByDispatcher.set(dispatcher, calls);
  }
  return calls;
}

/**
 * Closes `dispatchers` (undici closes each idle socket now and each busy one when its call
 * completes) and resolves once every call they carry has its response, and, when no body is
 * left to read, once their sockets are closed. It does not wait for a body: that is the
 * caller's to read (after this too) or to drop, and waiting for one nobody reads would never
 * end (`await using` around a call whose error body is left unread).
 */
export async function closeDispatchers(dispatchers: readonly Dispatcher[]): Promise<void> {
  const closing = dispatchers.map((d) => d.close());
  for (const closed of closing) closed.catch(() => {});
  const all = dispatchers.map(callsOf);
  await Promise.all(
    all.map((calls) =>
      calls.waiting === 0 ? undefined : new Promise<void>((resolve) => calls.idle.push(resolve)),
    ),
  );
  if (all.every((calls) => calls.running === 0)) {
    // A call aborted while undici was still connecting for it (or while it waited for a
    // connection of a full pool) stays queued there until that connect ends, up to the connect
    // timeout: nothing else is left, so end those connects now rather than wait for them.
    await Promise.all(dispatchers.map((d, i) => (all[i]!.dropped > 0 ? d.destroy() : closing[i])));
  }
}

/**
 * Sends `options` through `dispatcher`. Resolves with the response's head (after any 1xx),
 * rejects with undici's error, or the abort's reason when `signal` aborts first.
 */
export function exchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortLike | undefined,
  headRequest: boolean,
): Promise<Answer> {
  const calls = callsOf(dispatcher);
  calls.running++;
  calls.waiting++;
  let answered = false;
  let completed = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    if (--calls.waiting === 0) for (const resolve of calls.idle.splice(0)) resolve();
  };
  const complete = () => {
    answer();
    if (!completed) {
      completed = true;
      calls.running--;
    }
  };
  return new Promise<Answer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let body: Incoming | undefined;
    let reason: unknown;
    let dropped = false;
    const onAbort = () => {
      reason = abortReason(signal as AbortLike);
      if (body) body.fail(reason);
      else if (controller) controller.abort(reason as Error);
      else {
        // No connection yet (connecting, or waiting for one of a full pool): undici can abort
        // the request only once it has one. Reject now, as fetch does; undici drops the request
        // when it starts it (`onRequestStart` below) or fails it.
        dropped = true;
        calls.dropped++;
        complete();
        unlisten();
        reject(reason);
      }
    };
    const release = () => {
      if (!dropped) return;
      dropped = false;
      calls.dropped--;
    };
    const unlisten = () => signal?.removeEventListener('abort', onAbort);
    if (signal) {
      if (signal.aborted) reason = abortReason(signal);
      else signal.addEventListener('abort', onAbort, once);
    }
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (dropped) {
          // Already rejected: throwing here makes undici drop the request and keep the
          // connection (an abort would destroy it), so the pool keeps its keep-alive socket.
          release();
          throw reason;
        }
        if (reason !== undefined) c.abort(reason as Error);
      },
      onResponseStart(c, statusCode, headers, statusMessage) {
        if (statusCode < 200) return;
        const length = headers['content-length'];
        const declared = !headRequest && typeof length === 'string' ? Number(length) : Number.NaN;
        body = new Incoming(c, signal, Number.isFinite(declared) ? declared : undefined, unlisten);
        answer();
        resolve({ statusCode, statusText: statusMessage ?? '', headers, body });
      },
      onResponseData(_c, chunk) {
        body?.push(chunk);
      },
      onResponseEnd() {
        complete();
        body?.end();
      },
      onResponseError(_c, error) {
        release();
        complete();
        const sent = options.body;
        if (sent instanceof Readable) sent.on('error', () => {}).destroy(error);
        if (body) body.fail(error);
        else {
          unlisten();
          reject(error);
        }
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      handler.onResponseError?.(undefined as never, error as Error);
    }
  });
}

/**
 * A response body as undici delivers it, to one reader: a web stream (`stream()`), a Node
 * stream (`readable()`, for the decoders) or nobody (`dump()`). Chunks that arrive before
 * the reader is chosen are kept (undici pauses the socket past the high-water mark).
 */
export class Incoming {
  readonly #undici: Dispatcher.DispatchController;
  readonly #signal: AbortLike | undefined;
  /** Content-Length, when the response declared one (never for HEAD). */
  readonly #declared: number | undefined;
  readonly #settled: () => void;
  /** What arrived before the reader was chosen (`undefined`: nothing, no list made). */
  #chunks: Uint8Array[] | undefined;
  #buffered = 0;
  #received = 0;
  /** undici delivered the whole body. */
  #ended = false;
  /** One macrotask has passed since: undici has put the connection back in its pool. */
  #released = false;
  /** undici failed, or the call was aborted, before a reader was chosen. */
  #error: { value: unknown } | undefined;
  #web: ReadableStreamDefaultController<Uint8Array> | undefined;
  #node: Readable | undefined;
  #dumped: (() => void) | undefined;
  #dumpLimit = dumpLimit;
  /** The reader has all it will get (closed, errored or cancelled). */
  #done = false;

  constructor(
    undici: Dispatcher.DispatchController,
    signal: AbortLike | undefined,
    declared: number | undefined,
    settled: () => void,
  ) {
    this.#undici = undici;
    this.#signal = signal;
    this.#declared = declared;
    this.#settled = settled;
  }

  /** A chunk from undici. */
  push(chunk: Buffer): void {
    if (this.#done) return;
    this.#received += chunk.byteLength;
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#web) {
      this.#web.enqueue(bytes);
      if ((this.#web.desiredSize ?? 1) <= 0) this.#undici.pause();
    } else if (this.#node) {
      if (!this.#node.push(bytes)) this.#undici.pause();
    } else if (this.#dumped) {
      if (this.#received > this.#dumpLimit) this.#abandon();
    } else {
      if (this.#chunks) this.#chunks.push(bytes);
      else this.#chunks = [bytes];
      this.#buffered += bytes.byteLength;
      if (this.#buffered >= highWaterMark) this.#undici.pause();
    }
  }

  /** undici has delivered the whole body. */
  end(): void {
    if (this.#done) return;
    this.#ended = true;
    // undici gives the connection back to its pool one macrotask after the response ends
    // (it schedules that right after this call returns): a reader that finishes only then
    // makes the caller's next request find it free, instead of opening another connection.
    queueMicrotask(() =>
      setImmediate(() => {
        this.#released = true;
        if (this.#web) this.#close();
      }),
    );
    // A Node reader is done when its stream closes (below); an abort until then still errors it.
    if (this.#node) this.#node.push(null);
    else if (this.#dumped) this.#finish();
  }

  /** undici failed, or the call was aborted (`error` is then the abort's reason). */
  fail(error: unknown): void {
    if (this.#done) return;
    if (!this.#ended) this.#undici.abort(error as Error);
    if (this.#web) {
      const signal = this.#signal;
      this.#web.error(
        signal?.aborted ? abortReason(signal) : new TypeError('terminated', { cause: error }),
      );
      this.#finish();
    } else if (this.#node) {
      this.#node.destroy(error as Error);
    } else if (this.#dumped) this.#finish();
    else this.#error = { value: error };
  }

  /** The body as a web stream, with backpressure. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#web = controller;
          for (const chunk of this.#take()) controller.enqueue(chunk);
          if (this.#error) this.fail(this.#error.value);
          else if (this.#released) this.#close();
        },
        pull: () => {
          this.#undici.resume();
        },
        cancel: () => {
          this.#abandon();
        },
      },
      byteQueue,
    );
  }

  /** The body as a Node stream, with backpressure (for the decoders). */
  readable(): Readable {
    const node = new Readable({
      highWaterMark,
      read: () => this.#undici.resume(),
      // Destroyed by its reader (or by fail()): a response still arriving is stopped.
      destroy: (error, callback) => {
        this.#abandon();
        callback(error);
      },
    });
    this.#node = node;
    for (const chunk of this.#take()) node.push(chunk);
    if (this.#error) this.fail(this.#error.value);
    else if (this.#ended) node.push(null);
    return node;
  }

  /**
   * Reads the body and drops it, so its connection can serve the next request; past `limit`
   * bytes (or a longer Content-Length) closes the connection instead. Settles when done.
   */
  dump(limit = dumpLimit): Promise<void> {
    if (this.#done) return Promise.resolve();
    this.#take();
    if (this.#ended || this.#error) {
      this.#finish();
      return Promise.resolve();
    }
    if ((this.#declared ?? 0) > limit || this.#received > limit) {
      this.#abandon();
      return Promise.resolve();
    }
    this.#dumpLimit = limit;
    return new Promise<void>((resolve) => {
      this.#dumped = resolve;
      this.#undici.resume();
    });
  }

  #take(): readonly Uint8Array[] {
    const chunks = this.#chunks ?? none;
    this.#chunks = undefined;
    this.#buffered = 0;
    return chunks;
  }

  #close(): void {
    if (this.#done) return;
    this.#web?.close();
    this.#finish();
  }

  /** The reader wants no more: stop the response where it is. */
  #abandon(): void {
    if (this.#done) return;
    if (!this.#ended) this.#undici.abort(new Error('the response body was not read to its end'));
    this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#chunks = undefined;
    this.#settled();
    this.#dumped?.();
  }
}
