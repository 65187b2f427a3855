// Request bodies on the Node transport (body.ts, send.ts), against a real server on 127.0.0.1:
// a Blob goes out as fetch sends it (its size as Content-Length, its type as Content-Type),
// streamed, never read whole into memory first; a redirect that keeps the body sends it again.
import assert from 'node:assert/strict';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTransport } from './index.js';

interface Seen {
  method: string;
  url: string;
  length: string | undefined;
  chunked: boolean;
  type: string | undefined;
  bytes: Buffer;
}

async function serve() {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        length: req.headers['content-length'],
        chunked: req.headers['transfer-encoding'] === 'chunked',
        type: req.headers['content-type'],
        bytes: Buffer.concat(chunks),
      });
      if (req.url === '/moved') res.writeHead(307, { location: '/here' }).end();
      else res.end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const transport = createTransport({ proxy: false });
  return {
    base,
    seen,
    fetch: transport.fetch,
    async [Symbol.asyncDispose]() {
      await transport.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

/** A Blob that fails if anything reads it whole (what undici does with a Blob it is given). */
class StreamOnly extends Blob {
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('read whole');
  }
  override text(): Promise<string> {
    throw new Error('read whole');
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    throw new Error('read whole');
  }
}

test('a Blob body is streamed with its size as Content-Length and its type, as fetch sends it', async () => {
  await using s = await serve();
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 5, 9);
  const blob = new StreamOnly([bytes], { type: 'application/octet-stream' });
  const res = await s.fetch(`${s.base}/up`, { method: 'PUT', body: blob });
  assert.equal(await res.text(), 'ok');
  const [got] = s.seen;
  assert.equal(got?.length, String(bytes.length));
  assert.equal(got?.chunked, false);
  assert.equal(got?.type, 'application/octet-stream');
  assert.ok(got?.bytes.equals(bytes));
});

test('a file opened with fs.openAsBlob() goes out whole, with its length; a 307 sends it again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fetchstack-blob-'));
  try {
    const bytes = Buffer.alloc(1024 * 1024, 3);
    await writeFile(join(dir, 'file.bin'), bytes);
    const file = await openAsBlob(join(dir, 'file.bin'));
    await using s = await serve();
    const res = await s.fetch(`${s.base}/moved`, { method: 'POST', body: file });
    assert.equal(await res.text(), 'ok');
    assert.deepEqual(
      s.seen.map((r) => [r.method, r.url, r.length, r.chunked, r.bytes.equals(bytes)]),
      [
        ['POST', '/moved', String(bytes.length), false, true],
        ['POST', '/here', String(bytes.length), false, true],
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a FormData with large files goes out with its Content-Length, its files streamed; a 307 sends it again', async () => {
  await using s = await serve();
  const file = Buffer.alloc(5 * 1024 * 1024, 1);
  const form = new FormData();
  form.append('note', 'line one\nline two');
  form.append('file', new StreamOnly([file], { type: 'application/pdf' }), 'report.pdf');
  // Names the encoding escapes, and a Blob without a name or a type: the length still holds.
  form.append('na"me\r\n€', new Blob(['x']), 'a "quoted"\nname-€.bin');
  form.append('plain', new Blob(['no type']));
  const res = await s.fetch(`${s.base}/moved`, { method: 'POST', body: form });
  assert.equal(await res.text(), 'ok');
  assert.equal(s.seen.length, 2);
  for (const got of s.seen) {
    assert.equal(got.chunked, false);
    assert.equal(got.length, String(got.bytes.length));
    // Each send names the boundary of its own encoding, and parses back to what was sent.
    assert.match(got.type ?? '', /^multipart\/form-data; boundary=/);
    const parsed = await new Response(new Uint8Array(got.bytes), {
      headers: { 'content-type': got.type ?? '' },
    }).formData();
    assert.equal(parsed.get('note'), 'line one\r\nline two');
    const sent = parsed.get('file') as File;
    assert.equal(sent.name, 'report.pdf');
    assert.equal(sent.type, 'application/pdf');
    assert.ok(Buffer.from(await sent.arrayBuffer()).equals(file));
    assert.equal(await (parsed.get('plain') as File).text(), 'no type');
  }
  assert.deepEqual(
    s.seen.map((r) => r.url),
    ['/moved', '/here'],
  );
});

test("keepalive: true with a stream or async iterable body in init is refused as Node's fetch refuses it, before anything is sent", async () => {
  await using s = await serve();
  const stream = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('kept'));
        controller.close();
      },
    });
  async function* iterable() {
    yield new TextEncoder().encode('kept');
  }
  const outcome = (call: Promise<Response>) =>
    call.then(
      async (res) => `${res.status} ${await res.text()}`,
      (error: Error) => `${error.constructor.name}: ${error.message}`,
    );
  const calls: [string, () => [string | Request, RequestInit]][] = [
    ['a stream', () => [`${s.base}/k`, { method: 'POST', body: stream(), keepalive: true }]],
    [
      'an async iterable',
      () => [`${s.base}/k`, { method: 'POST', body: iterable() as never, keepalive: true }],
    ],
    [
      "a stream, with the Request's keepalive",
      () => [new Request(`${s.base}/k`, { method: 'POST', keepalive: true }), { body: stream() }],
    ],
    // What fetch takes: bytes, and a Request's own stream (checked when that Request was made).
    ['a string', () => [`${s.base}/k`, { method: 'POST', body: 'kept', keepalive: true }]],
    [
      "a Request's own stream",
      () => [
        new Request(`${s.base}/k`, {
          method: 'POST',
          body: stream(),
          duplex: 'half',
        } as RequestInit),
        { keepalive: true },
      ],
    ],
  ];
  for (const [what, make] of calls) {
    const [input, init] = make();
    const native = await outcome(fetch(input, { duplex: 'half', ...init } as RequestInit));
    const [input2, init2] = make();
    const viaTransport = await outcome(
      s.fetch(input2, { duplex: 'half', ...init2 } as RequestInit),
    );
    assert.equal(viaTransport, native, what);
  }
  assert.equal(s.seen.length, 4, 'only the calls fetch takes reached the server (twice each)');
});
