// The server of the big-bodies section, in its own process. Streams generated
// bytes and counts what it receives; it never holds a body in memory.
//
//   GET  /download?bytes=N          200, N bytes (one random 64 KiB block, sent over and
//                                   over with backpressure), Content-Length: N
//   PUT  /upload?id=X[&fail=1]      reads the body and counts it, answers
//                                   {"bytes":n,"chunked":bool,"try":k} (k = tries seen for id X);
//                                   with fail=1 the first try of each id is answered 503
//                                   after its body was read, so a retry has to replay it.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { serveChild } from './serve-child.mjs';

const BLOCK = randomBytes(64 * 1024);
const tries = new Map();

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/download') {
    const total = Number(url.searchParams.get('bytes'));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const n = Math.min(BLOCK.length, total - sent);
        sent += n;
        if (!res.write(n === BLOCK.length ? BLOCK : BLOCK.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  if (url.pathname === '/upload') {
    const id = url.searchParams.get('id') ?? '';
    const attempt = (tries.get(id) ?? 0) + 1;
    tries.set(id, attempt);
    let bytes = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      const fail = url.searchParams.get('fail') === '1' && attempt === 1;
      const body = JSON.stringify({
        bytes,
        chunked: /chunked/i.test(req.headers['transfer-encoding'] ?? ''),
        try: attempt,
      });
      res.writeHead(fail ? 503 : 200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...(fail ? { 'retry-after': '0' } : {}),
      });
      res.end(body);
    });
    return;
  }
  req.resume();
  res.writeHead(404, { 'content-length': 0 });
  res.end();
});
serveChild(server, { requestTimeout: 0 });
