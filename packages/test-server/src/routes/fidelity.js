// Routes for the fidelity cases: a wire recorder that keeps what each request
// looked like on arrival (request line, raw header lines in order and case,
// framing, exact body bytes) and answers as the query asks, so a case can make
// the same call with the runtime's fetch and with a session and compare both
// exchanges.
import net from 'node:net';
import { gzipSync } from 'node:zlib';

const json = (res, status, value) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
};

/** Records by id, oldest first. */
const records = new Map();

// Ports the Fetch standard refuses (a few of the list, all above 1024 so that no
// privilege is needed): a listener on one of them tells whether a client connected.
const badPorts = [10080, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 5060, 5061, 4190, 3659];
let badPortListener;

function listenOnBadPort() {
  badPortListener ??= (async () => {
    for (const port of badPorts) {
      const state = { port, connections: 0, requestLines: [] };
      const server = net.createServer((socket) => {
        state.connections += 1;
        socket.on('error', () => {});
        let head = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk) => {
          if (head.includes('\r\n')) return;
          head += chunk;
          if (!head.includes('\r\n')) return;
          state.requestLines.push(head.slice(0, head.indexOf('\r\n')));
          socket.end('HTTP/1.1 200 OK\r\ncontent-length: 9\r\nconnection: close\r\n\r\nconnected');
        });
      });
      const ok = await new Promise((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (ok) {
        server.unref();
        return state;
      }
    }
    return undefined;
  })();
  return badPortListener;
}

function framingOf(req) {
  if (req.headers['transfer-encoding'] !== undefined) return 'chunked';
  if (req.headers['content-length'] !== undefined) return 'content-length';
  return 'none';
}

export const fidelity = {
  // /fidelity/record/<id>/<any path>?status=&reason=&h=name:value&cookie=&body=&type=&gzip=1&hops=307,302
  //
  // Records the request under <id>, then answers:
  // - hops=A,B,...: a redirect with status A to the same URL with hops=B,... (each hop recorded);
  // - else `status` (200) with reason phrase `reason` (Node's default when left out),
  //   one header per `h` (`name:value`), one Set-Cookie per `cookie`, content type `type`
  //   (text/plain) and body `body` ('fidelity') or `size` bytes, gzip-encoded when gzip=1;
  // - hopCookie=1: each redirect hop sets a cookie for /fidelity/record/<id>;
  // - hosts=localhost,127.0.0.1: the host each redirect's Location names, in turn (absolute, the
  //   same port; left out: a path only), for redirects to another origin and back.
  // No Date header and no socket id, so two answers to the same call are byte-identical.
  '/fidelity/record/*': (req, res, { url, query, body }) => {
    const id = url.pathname.split('/')[3];
    const list = records.get(id) ?? [];
    list.push({
      requestLine: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
      method: req.method,
      url: req.url,
      rawHeaders: req.rawHeaders,
      framing: framingOf(req),
      contentLength: req.headers['content-length'] ?? null,
      transferEncoding: req.headers['transfer-encoding'] ?? null,
      bodyBase64: body.toString('base64'),
      bodyLength: body.length,
    });
    records.set(id, list);

    res.sendDate = false;
    res.removeHeader('x-socket');
    const custom = query.getAll('h').map((pair) => {
      const colon = pair.indexOf(':');
      return [pair.slice(0, colon), pair.slice(colon + 1)];
    });
    if (req.headers.origin) {
      // Chromium shows a cross-origin response header only when it is exposed by name.
      const exposed = new Set([
        'content-type',
        'content-length',
        'content-encoding',
        'location',
        'x-listener',
        ...custom.map(([name]) => name.toLowerCase()),
      ]);
      res.setHeader('access-control-expose-headers', [...exposed].join(', '));
    }

    const hops = (query.get('hops') ?? '').split(',').filter(Boolean);
    if (hops.length > 0) {
      const next = new URLSearchParams(query);
      if (hops.length > 1) next.set('hops', hops.slice(1).join(','));
      else next.delete('hops');
      const hosts = (query.get('hosts') ?? '').split(',').filter(Boolean);
      if (hosts.length > 1) next.set('hosts', hosts.slice(1).join(','));
      else next.delete('hosts');
      const search = `${next}`;
      const origin = hosts.length > 0 ? `http://${hosts[0]}:${req.socket.localPort}` : '';
      const headers = {
        location: `${origin}${url.pathname}${search ? `?${search}` : ''}`,
        'content-length': '0',
      };
      // hopCookie=1: each hop also sets a cookie for this id's path only.
      if (query.get('hopCookie') === '1') {
        headers['set-cookie'] = `hop${hops.length}=1; Path=/fidelity/record/${id}`;
      }
      res.writeHead(Number(hops[0]), headers);
      res.end();
      return;
    }

    const status = Number(query.get('status') ?? 200);
    const headers = [['content-type', query.get('type') ?? 'text/plain; charset=utf-8']];
    let payload = query.has('size')
      ? Buffer.alloc(Number(query.get('size')), 'fidelity ')
      : Buffer.from(query.get('body') ?? 'fidelity', 'utf8');
    if (query.get('gzip') === '1') {
      payload = gzipSync(payload);
      headers.push(['content-encoding', 'gzip']);
    }
    const noBody = req.method === 'HEAD' || status === 204 || status === 304;
    headers.push(['content-length', String(payload.length)]);
    headers.push(...custom);
    for (const cookie of query.getAll('cookie')) headers.push(['set-cookie', cookie]);
    const flat = headers.flat();
    if (query.has('reason')) res.writeHead(status, query.get('reason'), flat);
    else res.writeHead(status, flat);
    res.end(noBody ? undefined : payload);
  },

  // /fidelity/records?id=<id> → the records of <id>, oldest first (an empty array when none).
  // /fidelity/status-line?code=999&reason=<hex bytes>: a status line written byte for byte
  // (a status past 599, a reason phrase with bytes past ASCII), then a short body.
  '/fidelity/status-line': (req, res, { query }) => {
    const reason = Buffer.from(query.get('reason') ?? '', 'hex');
    const cors = req.headers.origin ? `access-control-allow-origin: ${req.headers.origin}\r\n` : '';
    req.socket.end(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 ${query.get('code') ?? '200'} `, 'latin1'),
        reason,
        Buffer.from(
          `\r\ncontent-type: text/plain\r\n${cors}content-length: 4\r\nconnection: close\r\n\r\nbody`,
          'latin1',
        ),
      ]),
    );
  },
  '/fidelity/records': (req, res, { query }) => json(res, 200, records.get(query.get('id')) ?? []),

  // /fidelity/bad-port?id=X → { port, connections, requests }: a listener on a port fetch
  // refuses, the connections it has accepted so far (from anyone) and the requests whose
  // request line contains X; { port: null } when none of those ports is free.
  '/fidelity/bad-port': async (req, res, { query }) => {
    const state = await listenOnBadPort();
    if (!state) return json(res, 200, { port: null });
    const id = query.get('id');
    const requests = id ? state.requestLines.filter((line) => line.includes(id)).length : 0;
    json(res, 200, { port: state.port, connections: state.connections, requests });
  },
};
