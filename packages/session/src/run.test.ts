// What the session hands its transport as nobody else's (`ownedHeaders`): only the headers its
// headers layer merged into its own copy of the try, and only to a transport of ours. Anything
// else is copied by the transport when it is called, as fetch copies it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownedHeaders, trip } from '@fetchstack/core/internal';
import { withoutOverrides } from './run.js';

const open = { closed: () => false };
const sent: (RequestInit | undefined)[] = [];
const beneath = async (_input: string | URL | Request, init?: RequestInit) => {
  sent.push(init);
  return new Response('ok');
};

/** Sends one call as the session's rows beneath redirect would leave it: `own` = trip's copy. */
async function hand(
  headers: Headers,
  { merged, readsContext }: { merged: boolean; readsContext: boolean },
) {
  const init: RequestInit = { headers, redirect: 'manual' };
  trip.init = init;
  trip.headers = merged ? headers : undefined;
  await withoutOverrides(beneath, readsContext, undefined, open)('http://127.0.0.1/', init);
  assert.equal(trip.init, undefined);
  assert.equal(trip.headers, undefined);
  return ownedHeaders.has(headers);
}

test('the headers the session merged for a try go to its own transport as nobody else’s', async () => {
  assert.equal(await hand(new Headers({ a: '1' }), { merged: true, readsContext: true }), true);
});

test('headers the session did not merge, or a fetch that is not its transport, are not marked', async () => {
  // A call with no default headers: its init holds the headers it came with.
  assert.equal(await hand(new Headers({ a: '1' }), { merged: false, readsContext: true }), false);
  // A fetch of yours (the `fetch` option) can keep or change what it is given.
  assert.equal(await hand(new Headers({ a: '1' }), { merged: true, readsContext: false }), false);
  // A copy of the try that is not the session's (a layer beneath made its own).
  const headers = new Headers({ a: '1' });
  trip.init = { headers };
  trip.headers = headers;
  await withoutOverrides(beneath, true, undefined, open)('http://127.0.0.1/', { headers });
  assert.equal(ownedHeaders.has(headers), false);
});
