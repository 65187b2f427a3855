import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Fetch } from '@fetchstack/core';
import { limit } from './index.js';

/** A `next` whose calls stay open until the test answers them, one by one. */
function held() {
  const open: { url: string; answer: () => void; fail: (e: unknown) => void }[] = [];
  const started: { url: string; at: number }[] = [];
  const next: Fetch = (input) =>
    new Promise<Response>((resolve, reject) => {
      const url = String(input);
      started.push({ url, at: Date.now() });
      open.push({ url, answer: () => resolve(new Response('ok')), fail: reject });
    });
  const answerOne = () => open.shift()?.answer();
  return { next, open, started, answerOne };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('limit: options', () => {
  test('bad options throw a TypeError naming the option', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /give "concurrency", "rate" or both/],
      [{}, /give "concurrency", "rate" or both/],
      [{ concurrency: 0 }, /"concurrency" must be an integer >= 1, got number 0/],
      [{ concurrency: 1.5 }, /"concurrency" must be an integer/],
      [{ concurrency: '4' }, /"concurrency"/],
      [{ concurrency: Number.POSITIVE_INFINITY }, /"concurrency"/],
      [{ concurency: 4 }, /unknown option "concurency". Did you mean "concurrency"\?/],
      [{ rate: 10 }, /"rate": options must be an object/],
      [
        { rate: { requests: 10 } },
        /"rate.per" is required: .*such as \{ requests: 10, per: 1_000 \}/,
      ],
      [{ rate: { requests: 0, per: 1000 } }, /"rate.requests" must be an integer >= 1/],
      [{ rate: { requests: 1, per: 0 } }, /"rate.per" must be a number >= 1/],
      [{ rate: { requests: 1, per: 1000, burst: 2 } }, /unknown option "burst"/],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => limit(options as never),
        (e: unknown) => e instanceof TypeError && message.test(e.message),
        String(JSON.stringify(options)),
      );
    }
  });
});

describe('limit: concurrency', () => {
  test('at most `concurrency` calls per origin in flight; the others wait in order', async () => {
    const h = held();
    const f = limit({ concurrency: 2 })(h.next);
    const results = [1, 2, 3, 4, 5].map((n) => f(`https://a.example/${n}`));
    await tick();
    assert.deepEqual(
      h.started.map((s) => s.url),
      ['https://a.example/1', 'https://a.example/2'],
    );
    h.answerOne();
    await tick();
    assert.equal(h.started.length, 3);
    assert.equal(h.started[2]?.url, 'https://a.example/3');
    while (h.open.length > 0) {
      h.answerOne();
      await tick();
    }
    assert.equal(h.started.length, 5);
    for (const r of await Promise.all(results)) assert.equal(await r.text(), 'ok');
  });

  test('origins are counted apart', async () => {
    const h = held();
    const f = limit({ concurrency: 1 })(h.next);
    const results = [
      f('https://a.example/1'),
      f('https://a.example/2'),
      f('https://b.example/1'),
      f('http://a.example/1'),
    ];
    await tick();
    assert.deepEqual(
      h.started.map((s) => s.url),
      ['https://a.example/1', 'https://b.example/1', 'http://a.example/1'],
    );
    while (h.open.length > 0) {
      h.answerOne();
      await tick();
    }
    await Promise.all(results);
    assert.equal(h.started.length, 4);
  });

  test('a failed call frees its slot, and its error reaches the caller', async () => {
    const h = held();
    const f = limit({ concurrency: 1 })(h.next);
    const first = f('https://a.example/1');
    const second = f('https://a.example/2');
    await tick();
    h.open.shift()?.fail(new TypeError('fetch failed'));
    await assert.rejects(first, /fetch failed/);
    await tick();
    assert.equal(h.started.length, 2);
    h.answerOne();
    await second;
  });

  test('a next that throws synchronously frees its slot', async () => {
    let calls = 0;
    const f = limit({ concurrency: 1 })(() => {
      calls++;
      if (calls === 1) throw new TypeError('bad');
      return Promise.resolve(new Response('ok'));
    });
    await assert.rejects(f('https://a.example/'), /bad/);
    assert.equal(await (await f('https://a.example/')).text(), 'ok');
  });

  test('a waiting call that is aborted rejects at once with the reason and is never sent', async () => {
    const h = held();
    const f = limit({ concurrency: 1 })(h.next);
    const first = f('https://a.example/1');
    const controller = new AbortController();
    const waiting = f('https://a.example/2', { signal: controller.signal });
    const third = f('https://a.example/3');
    await tick();
    const reason = new Error('stop');
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
    h.answerOne();
    await first;
    await tick();
    assert.deepEqual(
      h.started.map((s) => s.url),
      ['https://a.example/1', 'https://a.example/3'],
    );
    h.answerOne();
    await third;
  });

  test('an already aborted signal rejects without waiting or sending', async () => {
    const h = held();
    const f = limit({ concurrency: 1 })(h.next);
    await assert.rejects(
      f('https://a.example/', { signal: AbortSignal.abort() }),
      (e: unknown) => e instanceof DOMException && e.name === 'AbortError',
    );
    assert.equal(h.started.length, 0);
  });

  test('a Request input’s own signal is honoured while waiting', async () => {
    const h = held();
    const f = limit({ concurrency: 1 })(h.next);
    const first = f('https://a.example/1');
    const controller = new AbortController();
    const waiting = f(new Request('https://a.example/2', { signal: controller.signal }));
    await tick();
    controller.abort(new Error('gone'));
    await assert.rejects(waiting, /gone/);
    h.answerOne();
    await first;
    assert.equal(h.started.length, 1);
  });
});

describe('limit: rate', () => {
  test('at most `requests` calls start in any window of `per` ms', async () => {
    const starts: number[] = [];
    const f = limit({ rate: { requests: 2, per: 200 } })(() => {
      starts.push(Date.now());
      return Promise.resolve(new Response('ok'));
    });
    const t0 = Date.now();
    await Promise.all([1, 2, 3, 4, 5].map((n) => f(`https://a.example/${n}`)));
    assert.equal(starts.length, 5);
    // The limiter counts a start when it lets the call go; the fetch beneath records it a
    // little later, by as much as the event loop is late (a loaded machine: a few ms). Without
    // the limiter the five starts would be within a millisecond of each other.
    for (let i = 2; i < starts.length; i++) {
      assert.ok(
        (starts[i] as number) - (starts[i - 2] as number) >= 150,
        `start ${i} is ${(starts[i] as number) - (starts[i - 2] as number)} ms after start ${i - 2}`,
      );
    }
    assert.ok(Date.now() - t0 >= 400);
  });

  test('rate and concurrency together; an aborted wait for the window rejects at once', async () => {
    const h = held();
    const f = limit({ concurrency: 5, rate: { requests: 1, per: 60_000 } })(h.next);
    const first = f('https://a.example/1');
    const controller = new AbortController();
    const waiting = f('https://a.example/2', { signal: controller.signal });
    await tick();
    controller.abort(new Error('not now'));
    await assert.rejects(waiting, /not now/);
    h.answerOne();
    await first;
    assert.equal(h.started.length, 1);
  });
});

describe('limit: with a store', () => {
  test('asks the store for a slot, waits as it says, and gives the slot back', async () => {
    const calls: string[] = [];
    let busy = 2;
    const store = {
      async acquireSlot(key: string) {
        calls.push(`acquire ${key}`);
        return busy-- > 0 ? { retryIn: 10 } : { lease: 'L1' };
      },
      async releaseSlot(key: string, lease: string) {
        calls.push(`release ${key} ${lease}`);
      },
    };
    const f = limit({ concurrency: 1, store })(async () => new Response('ok'));
    assert.equal(await (await f('https://a.example/x')).text(), 'ok');
    await tick();
    assert.deepEqual(calls, [
      'acquire https://a.example',
      'acquire https://a.example',
      'acquire https://a.example',
      'release https://a.example L1',
    ]);
  });

  test('a store that fails: the call goes on with the limiter’s own counts', async () => {
    const h = held();
    const store = {
      acquireSlot: () => Promise.reject(new Error('down')),
      releaseSlot: () => Promise.reject(new Error('down')),
    };
    const f = limit({ concurrency: 1, store })(h.next);
    const results = [f('https://a.example/1'), f('https://a.example/2')];
    await tick();
    assert.equal(h.started.length, 1, 'the local cap applies');
    h.answerOne();
    await tick();
    h.answerOne();
    for (const r of await Promise.all(results)) assert.equal(await r.text(), 'ok');
  });

  test('a call aborted while the store makes it wait rejects at once and is never sent', async () => {
    let sent = 0;
    const store = {
      acquireSlot: async () => ({ retryIn: 60_000 }),
      releaseSlot: async () => {},
    };
    const f = limit({ concurrency: 1, store })(async () => {
      sent++;
      return new Response('ok');
    });
    const controller = new AbortController();
    const call = f('https://a.example/', { signal: controller.signal });
    await tick();
    controller.abort(new Error('enough'));
    await assert.rejects(call, /enough/);
    assert.equal(sent, 0);
  });
});
