// The shared clocks of calls in flight (deadline.ts): each fires once, never early, in the
// order of its deadline; a cancelled one never fires; one that throws does not stop the rest;
// a pending deadline does not keep a process alive.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { deadline } from './deadline.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `done()` holds (checked every 10 ms); fails after 10 s. */
async function until(done: () => boolean) {
  for (const started = Date.now(); !done(); await sleep(10))
    assert.ok(Date.now() - started < 10_000, 'still waiting after 10 s');
}

/** Runs `code` in a fresh Node process with `deadline` in scope; its exit and output. */
function child(code: string) {
  const url = new URL('./deadline.ts', import.meta.url).href;
  return spawnSync(
    process.execPath,
    [
      '--import',
      'tsx/esm',
      '--input-type=module',
      '-e',
      `const { deadline } = await import(${JSON.stringify(url)});\n${code}`,
    ],
    { encoding: 'utf8' },
  );
}

describe('deadline', () => {
  test('fires after its ms, never before, once', async () => {
    const started = performance.now();
    const fired: number[] = [];
    deadline(60, () => fired.push(performance.now() - started));
    await until(() => fired.length > 0);
    assert.ok(fired[0]! >= 60, `fired at ${fired[0]} ms`);
    await sleep(100);
    assert.equal(fired.length, 1, 'fired twice');
  });

  test('calls fire with its argument, each its own, on the server clocks and the per-call timer', async () => {
    const { deadline: perCallTimer } = await import('./deadline.browser.js');
    const got: string[] = [];
    const fire = (arg: string) => got.push(arg);
    deadline(30, fire, 'a');
    deadline(30, fire, 'b');
    perCallTimer(30, fire, 'c');
    await until(() => got.length === 3);
    assert.deepEqual(got.sort(), ['a', 'b', 'c']);
  });

  test('calls with the same limit fire in the order they started; cancelled ones never', async () => {
    const order: string[] = [];
    const a = deadline(80, () => order.push('a'));
    await sleep(20);
    const b = deadline(80, () => order.push('b'));
    const c = deadline(80, () => order.push('c'));
    await sleep(20);
    deadline(80, () => order.push('d'));
    b.cancel();
    b.cancel(); // idempotent
    await until(() => order.includes('d'));
    await sleep(50);
    assert.deepEqual(order, ['a', 'c', 'd']);
    a.cancel(); // after firing: nothing happens
    c.cancel();
  });

  test('different limits keep their own clocks', async () => {
    const started = performance.now();
    const fired: [string, number][] = [];
    deadline(150, () => fired.push(['long', performance.now() - started]));
    deadline(40, () => fired.push(['short', performance.now() - started]));
    await until(() => fired.length === 2);
    assert.deepEqual(
      fired.map(([name]) => name),
      ['short', 'long'],
    );
    assert.ok(fired[0]![1] >= 40 && fired[1]![1] >= 150, JSON.stringify(fired));
  });

  test('a limit whose calls have all fired works again for the next call', async () => {
    const fired: string[] = [];
    deadline(30, () => fired.push('first'));
    await until(() => fired.length === 1);
    await sleep(20);
    const started = performance.now();
    let at = 0;
    deadline(30, () => {
      at = performance.now() - started;
      fired.push('second');
    });
    await until(() => fired.length === 2);
    assert.deepEqual(fired, ['first', 'second']);
    assert.ok(at >= 30, `fired at ${at} ms`);
  });

  test('a deadline that throws does not stop the ones after it, and its error is not swallowed', () => {
    const r = child(`
      process.on('uncaughtException', (error) => console.log('uncaught', error.message));
      deadline(50, () => { throw new Error('boom'); });
      deadline(50, () => console.log('after'));
      setTimeout(() => {}, 200);`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['after', 'uncaught boom']);
  });

  test('a pending deadline does not keep the process alive', () => {
    const started = Date.now();
    const r = child(`deadline(60_000, () => console.log('fired'));`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '', 'the deadline fired');
    assert.ok(Date.now() - started < 60_000);
  });
});
