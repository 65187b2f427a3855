// session.client uploads, against a real server on 127.0.0.1 that reports what it received:
// a Blob or FormData body goes out as fetch sends it (with its Content-Length, not chunked),
// however long; a ky hook that replaces the request sends the replacement's body.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSession } from './index.js';

interface Seen {
  length: string | null;
  chunked: boolean;
  type: string;
  bytes: number;
  parts: [string, string | number][] | null;
}

let base = '';
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  let parts: Seen['parts'] = null;
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': type },
    }).formData();
    parts = [...form].map(([name, value]) => [
      name,
      typeof value === 'string' ? value : value.size,
    ]);
  }
  const seen: Seen = {
    length: req.headers['content-length'] ?? null,
    chunked: req.headers['transfer-encoding'] === 'chunked',
    type,
    bytes: body.length,
    parts,
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(seen));
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

// Longer than the 4 MiB a session keeps to send again; the session's own transport (a pool).
const big = 5 * 1024 * 1024;
const session = () => createSession({ pool: { connections: 4 } });

function form(size: number): FormData {
  const out = new FormData();
  out.append('note', 'hello');
  out.append('file', new Blob([new Uint8Array(size).fill(1)]), 'data.bin');
  return out;
}

test('session.client: a large FormData goes out with its Content-Length, and parses back', async () => {
  await using s = session();
  const seen = await s.client.post(`${base}/`, { body: form(big) }).json<Seen>();
  assert.equal(seen.chunked, false);
  assert.equal(seen.length, String(seen.bytes));
  assert.deepEqual(seen.parts, [
    ['note', 'hello'],
    ['file', big],
  ]);
});

test('session.client: a large Blob goes out with its Content-Length and its type', async () => {
  await using s = session();
  const body = new Blob([new Uint8Array(big).fill(2)], { type: 'application/x-thing' });
  const seen = await s.client.put(`${base}/`, { body }).json<Seen>();
  assert.deepEqual(
    [seen.chunked, seen.length, seen.type],
    [false, String(big), 'application/x-thing'],
  );
});

test("session.client: a beforeRequest hook's own request is sent as it is, its body too", async () => {
  await using s = session();
  const seen = await s.client
    .post(`${base}/`, {
      body: form(1_000),
      hooks: {
        beforeRequest: [
          ({ request }) => new Request(request.url, { method: 'POST', body: 'replaced' }),
        ],
      },
    })
    .json<Seen>();
  assert.deepEqual([seen.bytes, seen.type, seen.parts], [8, 'text/plain;charset=UTF-8', null]);
});
