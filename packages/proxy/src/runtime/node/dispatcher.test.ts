// A call's own undici dispatcher (`init.dispatcher`, as code written for Node's fetch passes it)
// is honoured by the Node transport: the call goes through Node's fetch with it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Agent, type Dispatcher } from 'undici';
import { createTransport } from './index.js';

test("a call's own dispatcher sends it, as Node's fetch does; without one the transport does", async () => {
  const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let dispatched = 0;
  class Counting extends Agent {
    override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      dispatched++;
      return super.dispatch(options, handler);
    }
  }
  const dispatcher = new Counting();
  await using transport = createTransport({ proxy: false });
  try {
    const init = { dispatcher } as RequestInit;
    const own = await transport.fetch(`${base}/own`, init);
    assert.equal(await own.text(), 'GET /own');
    assert.equal(dispatched, 1, 'the call went through its dispatcher');
    const plain = await transport.fetch(`${base}/plain`);
    assert.equal(await plain.text(), 'GET /plain');
    assert.equal(dispatched, 1, 'a call without one does not');
    const aborted = new AbortController();
    const reason = new Error('stop');
    aborted.abort(reason);
    await assert.rejects(transport.fetch(`${base}/x`, { ...init, signal: aborted.signal }), (e) => {
      assert.equal(e, reason);
      return true;
    });
  } finally {
    await dispatcher.close();
    server.close();
  }
});
