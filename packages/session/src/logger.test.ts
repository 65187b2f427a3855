import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logger } from './logger.js';

function capture() {
  const lines: { level: string; text: string }[] = [];
  const target = {
    info: (text: unknown) => lines.push({ level: 'info', text: String(text) }),
    warn: (text: unknown) => lines.push({ level: 'warn', text: String(text) }),
  };
  return { lines, target };
}

const request = new Request('https://api.example.com/v1/x?api_key=k1&page=2&tenant=t1', {
  headers: {
    Authorization: 'Bearer s3cret',
    'X-Api-Key': 'k2',
    'X-Tenant': 't2',
    Accept: 'application/json',
  },
});

describe('logger', () => {
  test('one info line per response, secrets redacted, the scheme of Authorization kept', async () => {
    const { lines, target } = capture();
    const hooks = logger(target, { headers: true });
    const response = new Response('ok', { status: 201, headers: { 'Set-Cookie': 'sid=s3cret' } });
    await (hooks.afterResponse as (i: unknown) => void)({ request, response, attempt: 1, ms: 12 });
    assert.equal(lines.length, 1);
    const [{ level, text }] = lines as [{ level: string; text: string }];
    assert.equal(level, 'info');
    assert.match(
      text,
      /^GET https:\/\/api\.example\.com\/v1\/x\?api_key=\*\*\*&page=2&tenant=t1 → 201 \(attempt 1, 12 ms\)/,
    );
    assert.match(text, /authorization: Bearer \[redacted\]/);
    assert.match(text, /x-api-key: \[redacted\]/);
    assert.match(text, /x-tenant: t2/);
    assert.match(text, /set-cookie: \[redacted\]/);
    for (const secret of ['s3cret', 'k1', 'k2']) assert.ok(!text.includes(secret), secret);
  });

  test('redact adds names, for headers and query parameters alike', async () => {
    const { lines, target } = capture();
    const hooks = logger(target, { headers: true, redact: ['X-TENANT', 'tenant'] });
    const response = new Response(null, { status: 204 });
    await (hooks.afterResponse as (i: unknown) => void)({ request, response, attempt: 2, ms: 1 });
    const text = lines[0]!.text;
    assert.match(text, /tenant=\*\*\*/);
    assert.match(text, /x-tenant: \[redacted\]/);
    assert.ok(!text.includes('t1') && !text.includes('t2'));
  });

  test('one warn line per failed try, with the error (URLs in its message redacted)', async () => {
    const { lines, target } = capture();
    const hooks = logger(target);
    const error = new TypeError('fetch failed for https://u:pa55@api.example.com/?token=abc');
    await (hooks.afterError as (i: unknown) => void)({ request, error, attempt: 3, ms: 7 });
    assert.equal(lines[0]!.level, 'warn');
    assert.match(
      lines[0]!.text,
      /✗ TypeError: fetch failed for https:\/\/\*\*\*:\*\*\*@api\.example\.com\/\?token=\*\*\* \(attempt 3, 7 ms\)$/,
    );
  });

  test("the punctuation after a URL in an error's message stays the sentence's", async () => {
    const { lines, target } = capture();
    const hooks = logger(target);
    // As a ProxyError and Deno's network errors word it.
    const error = new Error(
      'GET https://api.example.com/x?token=abc: the proxy refused (407). Proxy: http://u:pa55@127.0.0.1:3128/. Also (http://h.example/?sig=s1), done.',
    );
    await (hooks.afterError as (i: unknown) => void)({ request, error, attempt: 1, ms: 2 });
    assert.match(
      lines[0]!.text,
      /✗ Error: GET https:\/\/api\.example\.com\/x\?token=\*\*\*: the proxy refused \(407\)\. Proxy: http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:3128\/\. Also \(http:\/\/h\.example\/\?sig=\*\*\*\), done\. \(attempt 1, 2 ms\)$/,
    );
  });

  test('a store outage is one warn line, not one per call', async () => {
    const { lines, target } = capture();
    const hooks = logger(target);
    const storeError = hooks.storeError as (i: unknown) => void;
    for (let i = 0; i < 5; i++)
      storeError({ error: new Error('store down at https://u:pw@r.example/') });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 'warn');
    assert.match(
      lines[0]!.text,
      /^Error: store down at https:\/\/\*\*\*:\*\*\*@r\.example\/ \(calls go on without the store/,
    );
  });

  test('one warn line per retry, saying why and how long the wait is', async () => {
    const { lines, target } = capture();
    const hooks = logger(target);
    const response = new Response(null, { status: 503 });
    await (hooks.beforeRetry as (i: unknown) => void)({
      request,
      response,
      error: undefined,
      attempt: 1,
      delay: 512.4,
    });
    assert.match(
      lines[0]!.text,
      /^retry 1 of GET https:\/\/api\.example\.com\/.* in 512 ms \(status 503\)$/,
    );
  });

  test('bad targets and options are TypeErrors naming logger()', () => {
    assert.throws(
      () => logger(null as unknown as Console),
      /logger\(target, options\): target must be/,
    );
    assert.throws(() => logger({}), /neither info, warn nor log/);
    assert.throws(
      () => logger(console, { redcat: [] } as object),
      /unknown option "redcat"\. Did you mean "redact"/,
    );
    assert.throws(
      () => logger(console, { redact: 'x-tenant' as unknown as string[] }),
      /"redact" must be an array/,
    );
  });
});
