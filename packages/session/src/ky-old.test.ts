// session.client with ky 1 installed (what npm puts beside the session on Node 20, where ky 2
// does not run): every import of 'ky' in this process resolves to ky 1 (a dev dependency
// installed as `ky1`).
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { test } from 'node:test';

register(
  `data:text/javascript,${encodeURIComponent(
    "export async function resolve(specifier, context, next) { return next(specifier === 'ky' ? 'ky1' : specifier, context); }",
  )}`,
  import.meta.url,
);
const { createSession } = await import('./index.js');

test('with ky 1 installed, session.client rejects its calls with what to install (it hung)', async () => {
  await using session = createSession({ proxy: false });
  const outcome = await Promise.race([
    session.client
      .get('http://127.0.0.1:9/')
      .json()
      .then(
        () => 'resolved',
        (error: unknown) => error,
      ),
    new Promise((resolve) => setTimeout(() => resolve('still pending after 5 s'), 5_000).unref()),
  ]);
  assert.ok(outcome instanceof TypeError, String(outcome));
  assert.match(outcome.message, /session\.client needs ky 2.*npm i ky@2/);
});
