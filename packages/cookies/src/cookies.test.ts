import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeCookies } from './cookies.js';

test('mergeCookies: the call’s cookies first, then the jar’s whose names the call did not set', () => {
  assert.equal(mergeCookies(undefined, 'a=1; b=2'), 'a=1; b=2');
  assert.equal(mergeCookies('', 'a=1'), 'a=1');
  assert.equal(mergeCookies('b=mine', 'a=1; b=2; c=3'), 'b=mine; a=1; c=3');
  assert.equal(mergeCookies('a=x;b=y', 'a=1; b=2'), 'a=x;b=y', 'nothing left to add');
  assert.equal(mergeCookies(' a = x ', 'a=1; d=4'), ' a = x ; d=4', 'names compared trimmed');
});
