// Routes the @fetchstack/proxy cases need, beyond those in base.js: a per-socket token, so
// a case can tell which connection served each of its requests and later whether that
// connection is still open, unaffected by other runtimes using the same listener meanwhile.

import zlib from 'node:zlib';

const sockets = new Map();
let nextToken = 1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `/proxy/reset-on-reuse`: by id, what each request was (`METHOD c<connection>#<request on it>`). */
const resetLogs = new Map();

export const proxy = {
  // /proxy/reset-on-reuse?id=X: the first request on a connection gets a keep-alive 200 "ok",
  // the next one on the same connection a TCP reset (no byte of a response). ?seen=1 (on any
  // connection) answers what requests with that id were, as JSON.
  '/proxy/reset-on-reuse': (req, res, { query }) => {
    const id = query.get('id') ?? 'default';
    const log = resetLogs.get(id) ?? { connections: new Map(), seen: [] };
    resetLogs.set(id, log);
    if (query.get('seen')) {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(log.seen));
      return;
    }
    const socket = req.socket;
    let connection = log.connections.get(socket);
    if (!connection) {
      connection = { n: log.connections.size + 1, requests: 0 };
      log.connections.set(socket, connection);
    }
    connection.requests += 1;
    log.seen.push(`${req.method} c${connection.n}#${connection.requests}`);
    if (connection.requests > 1) {
      socket.resetAndDestroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'keep-alive': 'timeout=30' });
    res.end('ok');
  },
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
