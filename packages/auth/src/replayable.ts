// Making a call's body replayable for an auth layer that may send it again after a 401
// (bearer with refresh, digest). Apart from request.ts so that a layer which never replays
// (basic) does not carry the dynamic import of the stream reading, which bundlers split out.
import { directReplay, type Input, signalOf } from '@fetchstack/core/internal';
import { authReplayLimit, type Call } from './request.js';

/**
 * The same call, with a body that can be sent more than once (see `prepareReplay`:
 * strings, bytes, `Blob`, `FormData` and `URLSearchParams` as they are; any other body,
 * such as a stream or an async iterable, read into memory up to `authReplayLimit`).
 * Call this only when a replay can happen.
 * Reading a stream is loaded the first time a call brings one (most bodies need no reading).
 */
export async function replayable(input: Input, init: RequestInit | undefined): Promise<Call> {
  const replay =
    directReplay(input, init) ??
    (await (
      await import('./replay.js')
    ).prepareReplay(input, init, authReplayLimit, signalOf(input, init)));
  const [nextInput, nextInit] = replay.args();
  return replay.notReplayable
    ? { input: nextInput, init: nextInit, oneShot: true }
    : { input: nextInput, init: nextInit };
}
