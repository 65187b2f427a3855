import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contextOf,
  defaultAuthorization,
  defaultsKey,
  definedHeaders,
  LiveHeaders,
  trip,
} from '@fetchstack/core/internal';
import { headers, mergeHeaders } from './index.js';

const entries = (headers: Headers) => [...headers];

test('mergeHeaders: the call’s headers win name by name; defaults fill in the rest', () => {
  const defaults = new Headers({ accept: 'application/json', 'user-agent': 'app/1' });
  const merged = mergeHeaders(defaults, 'https://example.com/', {
    headers: { Accept: 'text/html', 'X-Call': '1' },
  });
  assert.deepEqual(entries(merged), [
    ['accept', 'text/html'],
    ['user-agent', 'app/1'],
    ['x-call', '1'],
  ]);
  assert.deepEqual(entries(defaults), [
    ['accept', 'application/json'],
    ['user-agent', 'app/1'],
  ]);
});

test('mergeHeaders: every HeadersInit form, and a Request input’s own headers', () => {
  const defaults = new Headers({ a: 'default', b: 'default' });
  const forms: HeadersInit[] = [{ a: 'call' }, [['a', 'call']], new Headers({ a: 'call' })];
  for (const headers of forms) {
    assert.deepEqual(entries(mergeHeaders(defaults, 'https://example.com/', { headers })), [
      ['a', 'call'],
      ['b', 'default'],
    ]);
  }
  const request = new Request('https://example.com/', { headers: { b: 'request' } });
  assert.deepEqual(entries(mergeHeaders(defaults, request, undefined)), [
    ['a', 'default'],
    ['b', 'request'],
  ]);
  // init.headers replaces a Request's own, as in fetch.
  assert.deepEqual(entries(mergeHeaders(defaults, request, { headers: { c: 'init' } })), [
    ['a', 'default'],
    ['b', 'default'],
    ['c', 'init'],
  ]);
});

test('mergeHeaders: undefined in a plain object removes a default; repeated values stay joined', () => {
  const defaults = new Headers({ 'user-agent': 'app/1', accept: '*/*' });
  const merged = mergeHeaders(defaults, 'https://example.com/', {
    headers: { 'User-Agent': undefined } as unknown as HeadersInit,
  });
  assert.deepEqual(entries(merged), [['accept', '*/*']]);
  const joined = mergeHeaders(new Headers(), 'https://example.com/', {
    headers: [
      ['x-many', '1'],
      ['x-many', '2'],
    ],
  });
  assert.equal(joined.get('x-many'), '1, 2');
});

test('live defaults: what the layer learnt from them is read again after every change', async () => {
  const live = definedHeaders({});
  const seen: { headers: [string, string][]; defaultAuth: unknown }[] = [];
  const f = headers(live)(async (_input, init) => {
    seen.push({
      headers: [...new Headers(init?.headers)],
      defaultAuth: contextOf(init)[defaultsKey],
    });
    return new Response(null);
  });
  await f('https://example.com/');
  live.set('Authorization', 'Bearer one');
  await f('https://example.com/');
  live.append('X-A', '1');
  await f('https://example.com/', { headers: { Authorization: 'Bearer call' } });
  live.delete('authorization');
  await f('https://example.com/');
  live.delete('x-a');
  await f('https://example.com/');
  assert.deepEqual(seen, [
    { headers: [], defaultAuth: undefined },
    { headers: [['authorization', 'Bearer one']], defaultAuth: defaultAuthorization },
    {
      headers: [
        ['authorization', 'Bearer call'],
        ['x-a', '1'],
      ],
      defaultAuth: undefined,
    },
    { headers: [['x-a', '1']], defaultAuth: undefined },
    { headers: [], defaultAuth: undefined },
  ]);
  assert.equal(LiveHeaders.changesOf(live), 4);
  assert.equal(LiveHeaders.changesOf(new Headers()), undefined);
});

test('mergeHeaders: a body that brings its own type keeps it over a default Content-Type', () => {
  const defaults = new Headers({ 'content-type': 'application/json', accept: '*/*' });
  const url = 'https://example.com/';
  const form = new FormData();
  form.append('f', 'v');
  const typed = [form, new URLSearchParams('a=1'), new Blob(['x'], { type: 'text/plain' })];
  for (const body of typed) {
    assert.deepEqual(entries(mergeHeaders(defaults, url, { method: 'POST', body })), [
      ['accept', '*/*'],
    ]);
    // A Content-Type the call sets is its own choice.
    const own = mergeHeaders(defaults, url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'x/y' },
    });
    assert.equal(own.get('content-type'), 'x/y');
  }
  // A string, bytes or an untyped Blob has no type of its own: the default applies.
  for (const body of ['{}', new Uint8Array(1), new Blob(['x'])]) {
    assert.equal(
      mergeHeaders(defaults, url, { method: 'POST', body }).get('content-type'),
      'application/json',
    );
  }
});

test('headers(() => plain object): undefined entries are left out, read afresh at each call', async () => {
  const sent: Headers[] = [];
  const next = async (_input: string | URL | Request, init?: RequestInit) => {
    sent.push(new Headers(init?.headers));
    return new Response(null);
  };
  let key: string | undefined;
  const fetch = headers(() => ({ 'X-Api-Key': key, 'X-B': 'b' }))(next);
  await fetch('https://example.com/');
  key = 'k';
  await fetch('https://example.com/');
  assert.deepEqual(entries(sent[0] as Headers), [['x-b', 'b']]);
  assert.deepEqual(entries(sent[1] as Headers), [
    ['x-api-key', 'k'],
    ['x-b', 'b'],
  ]);
});

test('headers(defaults): a bad name or value is a TypeError that says what a header may hold', () => {
  for (const [defaults, platform] of [
    [{ 'X-Price': '10 €' }, /ByteString|255/],
    [{ 'X A': 'v' }, /X A/],
    [[['x-a', 'a\nb']], /./],
  ] as const) {
    assert.throws(
      () => headers(defaults as HeadersInit),
      (error: Error) => {
        assert.equal(error.name, 'TypeError');
        assert.match(
          error.message,
          /^headers\(defaults\): names must be tokens, values Latin-1 text without CR, LF or NUL: /,
        );
        assert.match(error.message, platform);
        // The platform's message ends the sentence once.
        assert.doesNotMatch(error.message, /\.\./);
        return true;
      },
    );
  }
});

test('headers: a session’s copy of the call for this try (`trip`) takes the headers in place; any other init is copied', async () => {
  const received: (RequestInit | undefined)[] = [];
  const f = headers({ Authorization: 'Bearer d', 'X-A': '1' })(async (_input, init) => {
    received.push(init);
    return new Response(null);
  });
  const url = 'https://example.com/';
  const own = { redirect: 'manual' as const, headers: { 'X-B': '2' } };
  trip.init = own;
  await f(url, own);
  trip.init = undefined;
  assert.equal(received[0], own);
  assert.deepEqual(entries(own.headers as unknown as Headers), [
    ['authorization', 'Bearer d'],
    ['x-a', '1'],
    ['x-b', '2'],
  ]);
  // The default Authorization is still told apart from one the call set.
  assert.equal(contextOf(own)[defaultsKey], defaultAuthorization);

  const callers = { headers: { 'X-B': '2' } };
  await f(url, callers);
  assert.notEqual(received[1], callers);
  assert.deepEqual(callers, { headers: { 'X-B': '2' } });
  // With no trip set, an init without headers is never the one taken in place.
  await f(url, undefined);
  assert.equal(contextOf(received[2])[defaultsKey], defaultAuthorization);
});
