// Routes the @fetchstack/proxy cases need, beyond those in base.js: a per-socket token, so
// a case can tell which connection served each of its requests and later whether that
// connection is still open, unaffected by other runtimes using the same listener meanwhile.

import zlib from 'node:zlib';

const sockets = new Map();
let nextToken = 1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const proxy = {
  // /proxy/encoded?coding=gzip|deflate|br → "encoded body <coding>" compressed with that coding;
  // &raw=1 with deflate: raw deflate without the zlib wrapper, as some servers send it.
  '/proxy/encoded': (req, res, { query }) => {
    const coding = query.get('coding') ?? 'gzip';
    const text = Buffer.from(`encoded body ${coding} ${'x'.repeat(2000)}`);
    const body =
      coding === 'br'
        ? zlib.brotliCompressSync(text)
        : coding === 'deflate'
          ? query.get('raw')
            ? zlib.deflateRawSync(text)
            : zlib.deflateSync(text)
          : zlib.gzipSync(text);
    res.writeHead(200, {
      'content-type': 'text/plain',
      'content-encoding': coding,
      'content-length': body.length,
    });
    res.end(body);
  },
  // /proxy/socket?ms=300 → after ?ms=, { token } of the socket that carried this request.
  '/proxy/socket': async (req, res, { query }) => {
    const socket = req.socket;
    if (!socket.fetchstackProxyToken) {
      socket.fetchstackProxyToken = nextToken++;
      sockets.set(socket.fetchstackProxyToken, socket);
      socket.once('close', () => sockets.delete(socket.fetchstackProxyToken));
    }
    const ms = Number(query.get('ms') ?? 0);
    if (ms > 0) await sleep(ms);
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: socket.fetchstackProxyToken }));
  },
  // /proxy/open?tokens=1,2,3 → { open: [the tokens whose socket is still open] }.
  '/proxy/open': (req, res, { query }) => {
    const tokens = (query.get('tokens') ?? '').split(',').filter(Boolean).map(Number);
    const open = tokens.filter((t) => sockets.has(t) && !sockets.get(t).destroyed);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ open }));
  },
};
