// Routes the hardening cases need, beyond those in base.js.

const json = (res, status, value, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

export const hardening = {
  // The first request of this route on a socket is answered (keep-alive); any later
  // one on the same socket finds it closed (destroyed without a byte), as when the
  // server dropped an idle pooled connection just as the client reused it.
  '/hardening/once-per-socket': (req, res, { record }) => {
    if (req.socket.hardeningServed) {
      req.socket.destroy();
      return;
    }
    req.socket.hardeningServed = true;
    json(res, 200, { socket: record.socket, method: record.method, body: record.body });
  },
  // /hardening/retry-after?value=V&id=X: the first try of X answers 503 with the raw
  // Retry-After value V (URL-encoded here, sent as given); later tries answer 200.
  '/hardening/retry-after': (req, res, { state, query }) => {
    const key = `retry-after:${query.get('id')}`;
    const tries = (state.counts.get(key) ?? 0) + 1;
    state.counts.set(key, tries);
    if (tries === 1) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': query.get('value') ?? '' });
      res.end('try again');
      return;
    }
    json(res, 200, { tries });
  },
  // /hardening/location?to=V&status=302: a redirect whose Location is V exactly as given
  // (written to the socket raw, so values Node would refuse in setHeader still go out).
  '/hardening/location': (req, res, { query }) => {
    const status = Number(query.get('status') ?? 302);
    const to = query.get('to') ?? '';
    const cors = req.headers.origin
      ? `access-control-allow-origin: ${req.headers.origin}\r\naccess-control-allow-credentials: true\r\naccess-control-expose-headers: location\r\n`
      : '';
    req.socket.end(
      `HTTP/1.1 ${status} Redirect\r\nlocation: ${to}\r\n${cors}content-length: 0\r\nconnection: close\r\n\r\n`,
      'latin1',
    );
  },
  // /hardening/set-cookie?c=<raw>: one raw Set-Cookie line per c, written to the socket as
  // given (latin1), then the cookies the request carried.
  '/hardening/set-cookie': (req, res, { query }) => {
    const lines = query
      .getAll('c')
      .map((c) => `set-cookie: ${c.replace(/[\r\n]/g, '')}\r\n`)
      .join('');
    const body = JSON.stringify({ cookie: req.headers.cookie ?? null });
    req.socket.end(
      `HTTP/1.1 200 OK\r\n${lines}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      'latin1',
    );
  },
};
