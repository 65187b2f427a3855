import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { printsRedacted } from './printable.js';

test('a response prints its status and headers with cookies and tokens hidden', () => {
  const response = new Response('body', {
    status: 503,
    statusText: 'Service Unavailable',
    headers: [
      ['set-cookie', 'sid=s3cret-cookie; Path=/'],
      ['x-api-key', 'k3y'],
      ['location', 'https://a.example/next?access_token=t0ken'],
      ['content-type', 'text/plain'],
    ],
  });
  assert.match(inspect(response), /s3cret-cookie/, 'the platform prints it all');
  assert.equal(printsRedacted(response), response);
  const printed = inspect({ response });
  assert.doesNotMatch(printed, /s3cret-cookie|k3y|t0ken/);
  assert.match(printed, /Response \{/);
  assert.match(printed, /status: 503/);
  assert.match(printed, /'set-cookie': '\[redacted\]'/);
  assert.match(printed, /location: 'https:\/\/a\.example\/next\?access_token=\*\*\*'/);
  assert.match(printed, /'content-type': 'text\/plain'/);
  // Nothing a program reads changes.
  assert.deepEqual(Object.keys(response), []);
  assert.equal(response.headers.get('x-api-key'), 'k3y');
});

test('a request prints its method, URL and headers with credentials hidden', async () => {
  const request = new Request('https://a.example/x?api_key=k3y&page=2', {
    method: 'POST',
    headers: { authorization: 'Bearer t0ken', accept: 'application/json' },
    body: 'x',
  });
  const printed = inspect(printsRedacted(request));
  assert.doesNotMatch(printed, /k3y|t0ken/);
  assert.match(printed, /^Request \{/);
  assert.match(printed, /method: 'POST'/);
  assert.match(printed, /url: 'https:\/\/a\.example\/x\?api_key=\*\*\*&page=2'/);
  assert.match(printed, /authorization: 'Bearer \[redacted\]'/);
  assert.equal(await request.text(), 'x');
  assert.equal(printsRedacted(undefined), undefined);
});
