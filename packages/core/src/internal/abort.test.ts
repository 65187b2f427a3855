import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { abortable, abortReason, delay, link } from './abort.js';

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

describe('link', () => {
  test('follows the parent’s abort, with the parent’s reason', () => {
    const parent = new AbortController();
    const child = link(parent.signal);
    const reason = new Error('parent');
    parent.abort(reason);
    assert.equal(child.signal.aborted, true);
    assert.equal(child.signal.reason, reason);
  });

  test('aborts alone without touching the parent', () => {
    const parent = new AbortController();
    const child = link(parent.signal);
    child.abort(new Error('child'));
    assert.equal(child.signal.aborted, true);
    assert.equal(parent.signal.aborted, false);
  });

  test('after release(), the parent’s abort no longer reaches it', () => {
    const parent = new AbortController();
    const child = link(parent.signal);
    child.release();
    child.release();
    parent.abort();
    assert.equal(child.signal.aborted, false);
  });

  test('starts aborted under a parent that already is; works without a parent', () => {
    const reason = new Error('early');
    const child = link(AbortSignal.abort(reason));
    assert.equal(child.signal.reason, reason);
    const alone = link(undefined);
    alone.abort('why');
    assert.equal(alone.signal.reason, 'why');
  });
});
