// The loopback server of the cache section, in its own process (forked by spawn.mjs's
// startServer) so that its work does not land on the client's CPU time.
//
// Routes (by path prefix):
//   /fresh...    200, `Cache-Control: max-age=600`, an ETag: stored, then answered from the store
//   /stale...    200, `Cache-Control: max-age=0`, an ETag; a request with that ETag in
//                `If-None-Match` gets 304: every call through the cache is a revalidation
//   /nostore...  200, `Cache-Control: no-store`: every call through the cache is a miss
//   /mem/...     200, `Cache-Control: max-age=3600`, a 512-byte body: one stored record per URL
// The first three answer the 27-byte JSON body of the main bench server.
import { createServer } from 'node:http';
import { serveChild } from './serve-child.mjs';

const small = Buffer.from('{"ok":true,"bench":"fetch"}');
const mem = Buffer.from(`{"pad":"${'x'.repeat(512 - 10)}"}`);
const etag = '"v1"';

const server = createServer((req, res) => {
  req.resume();
  const url = req.url;
  if (url.startsWith('/mem/')) {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': mem.length,
      'cache-control': 'max-age=3600',
    });
    res.end(mem);
    return;
  }
  const cc = url.startsWith('/fresh')
    ? 'max-age=600'
    : url.startsWith('/stale')
      ? 'max-age=0'
      : 'no-store';
  if (cc === 'max-age=0' && req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'cache-control': cc });
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': small.length,
    'cache-control': cc,
    etag,
  });
  res.end(small);
});
serveChild(server);
