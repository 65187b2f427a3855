// Server-only cases for @fetchstack/retry and @fetchstack/timeout (Node, Deno, Bun):
// a child process proves that no timer or abort listener outlives its request.
import { equal, group, ok, test, uid } from '@fetchstack/test-kit';
import { dist, runScript } from './child.js';

group('retry', () => {
  test(
    'timeout + retry: a script that made 1,000 requests with 60 s limits exits as soon as it is done; no abort listener is left',
    async ({ server, runtime }) => {
      const source = `
import { wrap } from ${JSON.stringify(dist('core'))};
import { retry } from ${JSON.stringify(dist('retry'))};
import { timeout, splitTimeout } from ${JSON.stringify(dist('timeout'))};
const base = ${JSON.stringify(server.http)};
const { outer, inner } = splitTimeout({ total: 60_000, attempt: 60_000, read: 60_000 });
const plain = wrap(fetch, timeout(60_000), retry({ backoff: { initial: 60_000 } }));
const split = wrap(fetch, outer, retry({ backoff: { initial: 10 } }), inner);
// One long-lived signal shared by every request, as an app-wide controller would be.
const shared = new AbortController();
for (let i = 0; i < 1000; i++) {
  const f = i % 2 ? plain : split;
  const res = await f(base + '/echo?i=' + i, { signal: shared.signal });
  await res.text();
}
// A retried request (a backoff wait that ended) and a body left unread after its headers.
await (await split(base + '/flaky?id=${uid('exit')}&fail=1')).text();
await split(base + '/drip?chunks=2&interval=10');
let listeners = 'n/a';
if (globalThis.process?.versions?.node && !globalThis.Bun && !globalThis.Deno) {
  const { getEventListeners } = await import('node:events');
  listeners = getEventListeners(shared.signal, 'abort').length;
}
console.log('DONE ' + Date.now() + ' listeners=' + listeners);
`;
      // The kill is only a guard against a hung child (generous for a loaded machine); what
      // the case checks is how long the child lived after its last request.
      const result = await runScript(runtime, source, 120_000);
      ok(!result.killed, `the child did not exit within 120 s: ${result.out.slice(-500)}`);
      equal(result.code, 0, `exit code (output: ${result.out.slice(-500)})`);
      const done = /DONE (\d+) listeners=(\S+)/.exec(result.out);
      ok(done, `the child finished its requests: ${result.out.slice(-500)}`);
      const lingered = result.exitedAt - Number(done[1]);
      ok(
        lingered < 15_000,
        `exited ${lingered} ms after its last request (a 60 s timer would hold it)`,
      );
      // One listener per request still reading its body is expected; 1,000 finished requests must leave none
      // (the drip body was left unread: at most that one).
      if (done[2] !== 'n/a')
        ok(Number(done[2]) <= 1, `abort listeners left on the shared signal: ${done[2]}`);
    },
    { timeout: 150_000 },
  );
});
