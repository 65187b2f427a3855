import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { abortable, abortReason, delay, exposeSignal, LazyAbort } from './abort.js';
import { abortOf, signalOf } from './call.js';
import { contextOf, withContext } from './context.js';

describe('abortReason', () => {
  test('the signal’s own reason, else an AbortError DOMException', () => {
    const reason = new Error('stop');
    assert.equal(abortReason(AbortSignal.abort(reason)), reason);
    const controller = new AbortController();
    controller.abort();
    const fallback = abortReason(controller.signal);
    assert.ok(fallback instanceof DOMException);
    assert.equal((fallback as DOMException).name, 'AbortError');
  });
});

describe('delay', () => {
  test('resolves after the wait', async () => {
    assert.equal(await delay(1), undefined);
  });

  test('rejects at once with the reason of a signal that is already aborted', async () => {
    const reason = new Error('already');
    await assert.rejects(delay(60_000, AbortSignal.abort(reason)), (e) => e === reason);
  });

  test('rejects with the reason when the signal aborts during the wait', async () => {
    const controller = new AbortController();
    const waiting = delay(60_000, controller.signal);
    const reason = new Error('later');
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
  });
});

describe('abortable', () => {
  test('passes the promise through without a signal, or while the signal stays quiet', async () => {
    assert.equal(await abortable(Promise.resolve(1), undefined), 1);
    assert.equal(await abortable(Promise.resolve(2), new AbortController().signal), 2);
    const boom = new Error('boom');
    await assert.rejects(
      abortable(Promise.reject(boom), new AbortController().signal),
      (e) => e === boom,
    );
  });

  test('rejects with the reason as soon as the signal aborts, without waiting for the promise', async () => {
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    const racing = abortable(never, controller.signal);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await assert.rejects(racing, (e) => e === reason);
  });
});

describe('LazyAbort', () => {
  const url = 'https://example.com/';

  test('aborts without ever making an AbortSignal, and tells its listeners once', () => {
    const abort = new LazyAbort(url, undefined);
    let heard = 0;
    const listener = () => heard++;
    abort.addEventListener('abort', listener);
    assert.equal(abort.aborted, false);
    const reason = new Error('late');
    abort.abort(reason);
    abort.abort(new Error('again'));
    assert.equal(abort.aborted, true);
    assert.equal(abort.reason, reason);
    assert.equal(heard, 1);
  });

  test('a removed listener is not told', () => {
    const abort = new LazyAbort(url, undefined);
    let heard = 0;
    const listener = () => heard++;
    abort.addEventListener('abort', listener);
    abort.removeEventListener('abort', listener);
    abort.abort('x');
    assert.equal(heard, 0);
  });

  test('follows the caller’s signal, with the caller’s reason; release() stops that', () => {
    const caller = new AbortController();
    const abort = new LazyAbort(url, { signal: caller.signal });
    let heard = 0;
    abort.addEventListener('abort', () => heard++);
    const reason = new Error('caller');
    caller.abort(reason);
    assert.equal(heard, 1);
    assert.equal(abort.reason, reason);

    const other = new AbortController();
    const released = new LazyAbort(url, { signal: other.signal });
    let late = 0;
    released.addEventListener('abort', () => late++);
    released.release();
    released.release();
    other.abort();
    assert.equal(late, 0);
  });

  test('signal() makes one AbortSignal that aborts with it, or is aborted already', () => {
    const abort = new LazyAbort(url, undefined);
    const signal = abort.signal();
    assert.equal(abort.signal(), signal);
    assert.equal(signal.aborted, false);
    abort.abort('why');
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, 'why');
    const early = new LazyAbort(url, { signal: AbortSignal.abort('before') });
    assert.equal(early.aborted, true);
    assert.equal(early.signal().reason, 'before');
  });

  test('follows a LazyAbort above (a nested timeout)', () => {
    const outer = new LazyAbort(url, undefined);
    const inner = new LazyAbort(url, withContext(undefined, { abort: outer }));
    const signal = inner.signal();
    outer.abort('outer fired');
    assert.equal(inner.aborted, true);
    assert.equal(signal.reason, 'outer fired');
  });
});

describe('abortOf and signalOf with a LazyAbort in the context', () => {
  const url = 'https://example.com/';

  test('abortOf gives the LazyAbort itself; signalOf a real signal that follows it', () => {
    const caller = new AbortController();
    const abort = new LazyAbort(url, { signal: caller.signal });
    const init = withContext({ signal: caller.signal }, { abort });
    assert.equal(abortOf(url, init), abort);
    const signal = signalOf(url, init);
    assert.ok(signal instanceof AbortSignal);
    assert.notEqual(signal, caller.signal);
    caller.abort('stop');
    assert.equal(signal?.reason, 'stop');
  });

  test('a signal set beneath the LazyAbort wins; so does signal: null set beneath', () => {
    const abort = new LazyAbort(url, undefined);
    const mine = new AbortController().signal;
    const init = withContext({ signal: mine }, { abort });
    assert.equal(abortOf(url, init), mine);
    assert.equal(signalOf(url, init), mine);
    const none = withContext({ signal: null }, { abort });
    assert.equal(abortOf(url, none), undefined);
    assert.equal(signalOf(url, none), undefined);
  });

  test('without a LazyAbort: the call’s own signal, a Request’s when init has none', () => {
    const own = new AbortController().signal;
    assert.equal(abortOf(url, { signal: own }), own);
    const request = new Request(url, { signal: own });
    assert.equal(abortOf(request, undefined), request.signal);
    assert.equal(abortOf(url, undefined), undefined);
  });

  test('exposeSignal: a getter that makes the signal when read (spread included)', () => {
    const abort = new LazyAbort(url, undefined);
    const init = withContext({ method: 'GET' }, { abort });
    const exposed = exposeSignal(url, init) as RequestInit;
    assert.notEqual(exposed, init);
    assert.equal(contextOf(exposed).abort, abort);
    const { signal } = { ...exposed };
    assert.equal(signal, abort.signal());
    abort.abort('t');
    assert.equal(exposed.signal?.aborted, true);
    const plain = { method: 'GET' };
    assert.equal(exposeSignal(url, plain), plain);
  });
});
