import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lazily } from './lazy.js';

test('lazily: loads once, and every caller gets the same promise', async () => {
  let loads = 0;
  const get = lazily(async () => {
    loads += 1;
    return { n: loads };
  });
  const first = get();
  assert.equal(get(), first);
  const [a, b] = await Promise.all([first, get()]);
  assert.equal(a, b);
  assert.equal(await get(), a);
  assert.equal(loads, 1);
});

test('lazily: a failed load rejects its callers and the next caller tries again', async () => {
  let loads = 0;
  const get = lazily(async () => {
    loads += 1;
    if (loads === 1) throw new Error('offline');
    return 'module';
  });
  await assert.rejects(Promise.all([get(), get()]), /offline/);
  assert.equal(await get(), 'module');
  assert.equal(loads, 2);
});
