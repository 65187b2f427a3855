// Cases for @fetchstack/limit (portable: no node: imports; they run in every runtime).
import { wrap } from '@fetchstack/core';
import { limit } from '@fetchstack/limit';
import { createSession } from '@fetchstack/session';
import {
  deepEqual,
  equal,
  group,
  ok,
  rejects,
  type ServerInfo,
  sleep,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';

interface Stats {
  max: number;
  total: number;
  now: number;
  arrivals: number[];
}

const stats = async (server: ServerInfo, id: string): Promise<Stats> =>
  (await (await fetch(`${server.http}/limit/stats?id=${id}`)).json()) as Stats;

const hold = (base: string, id: string, ms: number) => `${base}/limit/hold?id=${id}&ms=${ms}`;

/** Awaits a call and reads its body, so that the connection is free again. */
const done = (call: Promise<Response>) => call.then((res) => res.text());

/** Tracks whether a promise has settled yet. */
function watch<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => {});
  return { promise: tracked, settled: () => settled };
}

group('limit', () => {
  test('concurrency: the server never holds more calls of one origin than the cap', async ({
    server,
  }) => {
    const id = uid('limit');
    const f = wrap(fetch, limit({ concurrency: 2 }));
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => done(f(hold(server.http, id, 150)))));
    const seen = await stats(server, id);
    equal(seen.total, 6);
    ok(seen.max <= 2, `the server held ${seen.max} calls at once`);
    ok(seen.max >= 1);
  });

  test('concurrency: origins are counted apart (a call to another origin does not wait)', async ({
    server,
  }) => {
    const f = wrap(fetch, limit({ concurrency: 1 }));
    const slow = watch(done(f(hold(server.http, uid('limit'), 2_000))));
    await done(f(hold(server.http2, uid('limit'), 0)));
    equal(slow.settled(), false, 'the call to the other origin went before the slow one ended');
    await slow.promise;
  });

  test('a waiting call that is aborted rejects at once with the reason and is never sent', async ({
    server,
  }) => {
    const f = wrap(fetch, limit({ concurrency: 1 }));
    const slow = watch(done(f(hold(server.http, uid('limit'), 2_000))));
    const id = uid('limit');
    const controller = new AbortController();
    const waiting = f(hold(server.http, id, 0), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('no longer needed')), 50);
    await rejects(waiting, { message: 'no longer needed' });
    equal(slow.settled(), false, 'rejected while the slot was still taken');
    await slow.promise;
    equal((await stats(server, id)).total, 0, 'the aborted call never reached the server');
  });

  test('rate: at most `requests` calls start in any window of `per` ms', async ({ server }) => {
    const id = uid('limit');
    const f = wrap(fetch, limit({ rate: { requests: 2, per: 600 } }));
    const t0 = Date.now();
    await Promise.all([1, 2, 3, 4, 5].map(() => done(f(hold(server.http, id, 0)))));
    const elapsed = Date.now() - t0;
    ok(elapsed >= 1_100, `5 calls at 2 per 600 ms took ${elapsed} ms (the fifth starts at 1200)`);
    const { arrivals, total } = await stats(server, id);
    equal(total, 5);
    const sorted = [...arrivals].sort((a, b) => a - b);
    for (let i = 2; i < sorted.length; i++) {
      const gap = (sorted[i] as number) - (sorted[i - 2] as number);
      // 600 ms apart when sent; generous for the time each takes to arrive.
      ok(gap >= 300, `arrivals ${i - 2} and ${i} are ${gap} ms apart`);
    }
  });

  test('bad options throw a TypeError naming the option', () => {
    throws(() => limit({ concurrency: 0 }), { name: 'TypeError', message: /"concurrency"/ });
    throws(() => limit({ rate: { requests: 5, per: -1 } }), {
      name: 'TypeError',
      message: /"rate.per"/,
    });
    throws(() => limit({} as never), { name: 'TypeError', message: /concurrency/ });
  });

  test('session: limit caps the calls of one origin in flight', async ({ server }) => {
    const session = createSession({ limit: { concurrency: 1 } });
    try {
      const id = uid('limit');
      await Promise.all([1, 2, 3, 4].map(() => done(session(hold(server.http, id, 100)))));
      const seen = await stats(server, id);
      equal(seen.total, 4);
      equal(seen.max, 1);
    } finally {
      await session.close();
    }
  });

  test('session: the total timeout ends a wait for a slot; the call is never sent', async ({
    server,
  }) => {
    const session = createSession({ limit: { concurrency: 1 }, timeout: 300, retry: false });
    try {
      const slow = watch(
        done(session(hold(server.http, uid('limit'), 2_000), { fetchstack: { timeout: 10_000 } })),
      );
      const id = uid('limit');
      await rejects(session(hold(server.http, id, 0)), { name: 'TimeoutError' });
      equal(slow.settled(), false, 'timed out while the slot was still taken');
      await slow.promise;
      equal((await stats(server, id)).total, 0, 'the call that timed out never reached the server');
    } finally {
      await session.close();
    }
  });

  test('session: a call waiting for a slot when the session closes rejects with SessionClosedError and is never sent', async ({
    server,
  }) => {
    const session = createSession({ limit: { concurrency: 1 }, retry: false });
    await (await session(hold(server.http, uid('limit'), 0))).text(); // the code is loaded
    const holderId = uid('limit');
    const holder = session(hold(server.http, holderId, 800));
    for (let i = 0; i < 100 && (await stats(server, holderId)).total < 1; i++) await sleep(20);
    const id = uid('limit');
    const queued = session(hold(server.http, id, 0)).then(
      () => 'resolved',
      (e: Error) => e?.name,
    );
    await sleep(100); // waiting for the slot by now
    const order: string[] = [];
    void queued.then(() => order.push('queued call settled'));
    void holder.then(() => order.push('call in flight answered'));
    const closing = session.close();
    const held = await holder;
    equal(held.status, 200, 'the call in flight finishes');
    await held.text();
    equal(await queued, 'SessionClosedError');
    deepEqual(
      order,
      ['queued call settled', 'call in flight answered'],
      'the waiting call rejects at close(), not when the slot frees',
    );
    await closing;
    equal((await stats(server, id)).total, 0, 'the queued call never reached the server');
  });

  test('session: a bad limit throws at creation naming it; a mount may set it, one call may not', async ({
    server,
  }) => {
    throws(() => createSession({ limit: { concurrency: 0 } }), {
      name: 'TypeError',
      message: /createSession\(\): "limit.concurrency"/,
    });
    throws(() => createSession({ limit: { rate: { requests: 2 } } as never }), {
      name: 'TypeError',
      message: /"limit.rate.per"/,
    });
    const session = createSession({ limit: false });
    try {
      session.mount(`${server.http}/limit/`, { limit: { concurrency: 1 } });
      throws(() => session.mount(`${server.http2}/`, { limit: { concurrency: -1 } }), {
        name: 'TypeError',
        message: /"limit.concurrency"/,
      });
      await rejects(
        session(`${server.http}/echo`, { fetchstack: { limit: { concurrency: 1 } } } as never),
        { name: 'TypeError', message: /limit/ },
      );
      const id = uid('limit');
      await Promise.all([1, 2, 3].map(() => done(session(hold(server.http, id, 100)))));
      equal((await stats(server, id)).max, 1, 'the mount caps its prefix');
    } finally {
      await session.close();
    }
  });
});
