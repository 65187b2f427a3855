import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definedHeaders } from './defined-headers.js';

test('definedHeaders: a plain object’s undefined entries are left out, their names still checked', () => {
  const made = definedHeaders({ a: '1', b: undefined } as Record<string, string | undefined>);
  assert.deepEqual([...made], [['a', '1']]);
  assert.deepEqual([...definedHeaders([['c', '3']])], [['c', '3']]);
  assert.throws(() => definedHeaders({ 'bad name': undefined }), TypeError);
});
