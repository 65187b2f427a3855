import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contextKey, contextOf, extendInit, withContext } from './context.js';

describe('extendInit', () => {
  test('is { ...init, ...patch }: same keys, symbols included, same order, same values', () => {
    const tag = Symbol('tag');
    const signal = new AbortController().signal;
    const init = { method: 'POST', [tag]: 1, signal, headers: { a: '1' } } as RequestInit;
    const patch = { method: 'PUT', redirect: 'manual' } as RequestInit;
    const out = extendInit(init, patch);
    const spread = { ...init, ...patch };
    assert.deepEqual(Reflect.ownKeys(out), Reflect.ownKeys(spread));
    assert.deepEqual(out, spread);
    assert.equal(out.signal, signal);
    assert.equal(out.headers, init.headers, 'values are not copied');
  });

  test('mutates neither argument and returns a new object', () => {
    const init: RequestInit = { method: 'GET' };
    const patch: RequestInit = { method: 'POST' };
    const out = extendInit(init, patch);
    assert.notEqual(out, init);
    assert.deepEqual(init, { method: 'GET' });
    assert.deepEqual(patch, { method: 'POST' });
  });

  test('takes undefined for either side', () => {
    assert.deepEqual(extendInit<RequestInit>(undefined, { method: 'POST' }), { method: 'POST' });
    assert.deepEqual(extendInit<RequestInit>({ method: 'GET' }, undefined), { method: 'GET' });
    assert.deepEqual(extendInit<RequestInit>(undefined, undefined), {});
  });

  test('an own "__proto__" key stays an own key, as with a spread (no prototype change)', () => {
    const init = JSON.parse('{"__proto__": {"polluted": true}, "method": "GET"}') as RequestInit;
    const out = extendInit(init, { redirect: 'manual' });
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal((out as { polluted?: unknown }).polluted, undefined);
    assert.ok(Object.hasOwn(out, '__proto__'));
    assert.equal(out.redirect, 'manual');
  });
});

describe('withContext and contextOf', () => {
  test('an init without context reads as {}', () => {
    assert.deepEqual(contextOf(undefined), {});
    assert.deepEqual(contextOf({ method: 'GET' }), {});
  });

  test('adds to the context on a new init; the caller’s init and context stay as they were', () => {
    const first = withContext({ method: 'POST' }, { attempt: 1 });
    const second = withContext(first, { startedAt: 5 });
    assert.deepEqual(contextOf(first), { attempt: 1 });
    assert.deepEqual(contextOf(second), { attempt: 1, startedAt: 5 });
    assert.equal(second.method, 'POST');
    const third = withContext(second, { attempt: 2 });
    assert.equal(contextOf(third).attempt, 2);
    assert.equal(contextOf(second).attempt, 1);
  });

  test('a call with no context takes the patch as its context; one with a context leaves both as they were', () => {
    const patch = { attempt: 1 };
    const first = withContext(undefined, patch);
    assert.equal(contextOf(first), patch, 'no copy of the patch');
    assert.deepEqual(Reflect.ownKeys(first), [contextKey]);
    const second = withContext(first, { startedAt: 5 });
    assert.notEqual(contextOf(second), contextOf(first));
    assert.deepEqual(patch, { attempt: 1 }, 'the patch is not changed');
    assert.deepEqual(contextOf(second), { attempt: 1, startedAt: 5 });
  });

  test('the context sits under a registered symbol, so another copy of core finds it', () => {
    const init = withContext(undefined, { attempt: 3 });
    const key = Symbol.for('fetchstack.context');
    assert.equal(key, contextKey);
    assert.equal((init as Record<symbol, { attempt: number }>)[key]?.attempt, 3);
  });
});
