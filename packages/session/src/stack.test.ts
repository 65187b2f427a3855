import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sessionKeys } from './options.js';
import { layerKeys, layers, mountKeys, perCallKeys } from './stack.js';

describe('the table of layers', () => {
  test('the order of layers is the one the README draws', () => {
    assert.deepEqual(
      layers.map((row) => row.name),
      [
        'timeout: total',
        'cache',
        'retry',
        'hooks',
        'redirect',
        'cooldown',
        'limit',
        'headers',
        'auth',
        'cookies',
        'timeout: attempt, read',
        'transport',
      ],
    );
  });

  test('the option keys come from the rows', () => {
    assert.deepEqual(layerKeys, [
      'timeout',
      'cache',
      'retry',
      'hooks',
      'limit',
      'headers',
      'auth',
      'cookies',
      'proxy',
      'tls',
      'pool',
    ]);
    assert.deepEqual(
      [...sessionKeys].sort(),
      [...layerKeys, 'baseUrl', 'middleware', 'mount', 'fetch', 'store'].sort(),
    );
  });

  test('a mount may set the rows marked mount; one call only those marked perCall', () => {
    assert.deepEqual([...mountKeys].sort(), [
      'auth',
      'cache',
      'headers',
      'limit',
      'pool',
      'proxy',
      'retry',
      'timeout',
      'tls',
    ]);
    assert.deepEqual([...perCallKeys].sort(), ['cache', 'retry', 'timeout']);
  });

  test('the rows that use the session store say so (reads: store)', () => {
    const readers = layers
      .filter((row) => (row.reads ?? []).includes('store'))
      .map((row) => row.name);
    for (const name of ['cache', 'limit', 'cooldown']) assert.ok(readers.includes(name), name);
  });

  test('every row names only options it reads, each once', () => {
    for (const row of layers) {
      assert.equal(new Set(row.options).size, row.options.length, row.name);
    }
  });
});
