// Routes every package uses: echo, status, cookies, redirects, faults.
// A handler is (req, res, ctx) with ctx = { url, query, body, record, state, name, stats, certs }.

const json = (res, status, value, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function bump(state, id) {
  const n = (state.counts.get(id) ?? 0) + 1;
  state.counts.set(id, n);
  return n;
}

function parseCookies(header = '') {
  const out = {};
  for (const part of header.split(/;\s*/)) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    out[name] = eq === -1 ? '' : part.slice(eq + 1);
  }
  return out;
}

export const base = {
  // What the server received: method, path, headers, body, socket.
  '/echo': (req, res, { record }) => json(res, 200, record),
  '/echo/*': (req, res, { record }) => json(res, 200, record),

  '/__log': (req, res, { state, query }) => json(res, 200, state.log.get(query.get('id')) ?? []),
  '/__count': (req, res, { state, query }) =>
    json(res, 200, { count: state.counts.get(query.get('id')) ?? 0 }),
  '/__sockets': (req, res, { stats }) => json(res, 200, { total: stats.total, open: stats.open }),
  '/__info': (req, res, { state }) => json(res, 200, state.info),
  '/__static/*': (req, res, { state, url }) => {
    const file = state.staticFiles.get(url.pathname.slice('/__static/'.length));
    if (!file) return json(res, 404, { error: 'no such static file' });
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  },

  // /status/503?retryAfter=2 → that status (and Retry-After when asked).
  '/status/*': (req, res, { url, query }) => {
    const code = Number(url.pathname.split('/')[2]);
    const headers = { 'content-type': 'text/plain' };
    if (query.has('retryAfter')) headers['retry-after'] = query.get('retryAfter');
    res.writeHead(code, headers).end(code === 204 || code === 304 ? undefined : `status ${code}`);
  },

  // /set-cookie?c=a%3D1%3B%20Path%3D%2F&c=b%3D2 → one Set-Cookie per c; &to=URL also redirects (302).
  '/set-cookie': (req, res, { query }) => {
    const headers = { 'set-cookie': query.getAll('c') };
    if (query.has('to')) {
      res
        .writeHead(Number(query.get('status') ?? 302), { ...headers, location: query.get('to') })
        .end();
      return;
    }
    json(res, 200, { set: query.getAll('c') }, headers);
  },
  // The cookies the request carried, parsed, and the raw header.
  '/cookies': (req, res) =>
    json(res, 200, { cookies: parseCookies(req.headers.cookie), raw: req.headers.cookie ?? null }),

  // /redirect?status=307&to=<absolute or relative URL> (also under /redirect/<any path>)
  '/redirect': redirectTo,
  '/redirect/*': redirectTo,
  // /chain?n=3&status=302&log=ID: each hop sets cookie hop<n>=1 and redirects to n-1; n=0 echoes.
  '/chain': (req, res, { query, record }) => {
    const n = Number(query.get('n') ?? 0);
    if (n <= 0) return json(res, 200, record);
    const next = new URLSearchParams(query);
    next.set('n', String(n - 1));
    res
      .writeHead(Number(query.get('status') ?? 302), {
        location: `/chain?${next}`,
        'set-cookie': `hop${n}=1; Path=/`,
      })
      .end();
  },

  // /flaky?id=X&fail=2&status=503&retryAfter=0&mode=status|reset|reset-mid:
  // the first `fail` tries of id X fail; later ones succeed with { tries }.
  '/flaky': (req, res, { state, query, record }) => {
    const id = query.get('id') ?? 'default';
    const tries = bump(state, id);
    res.setHeader('x-tries', String(tries));
    if (tries <= Number(query.get('fail') ?? 1)) {
      const mode = query.get('mode') ?? 'status';
      if (mode === 'reset') return req.socket.destroy();
      if (mode === 'reset-mid') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      const headers = { 'content-type': 'text/plain' };
      if (query.has('retryAfter')) headers['retry-after'] = query.get('retryAfter');
      res.writeHead(Number(query.get('status') ?? 503), headers).end(`failure ${tries}`);
      return;
    }
    json(res, 200, { tries, body: record.body, method: record.method });
  },

  // Headers only after ?ms= (default 1000).
  '/slow': async (req, res, { query }) => {
    await sleep(Number(query.get('ms') ?? 1000));
    if (!res.destroyed) json(res, 200, { slow: true });
  },
  // Headers and "first" at once, then silence for ?ms=, then "last".
  '/stall': async (req, res, { query }) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first');
    await sleep(Number(query.get('ms') ?? 5000));
    if (!res.destroyed) res.end('last');
  },
  // ?chunks=5&interval=50: a body that streams in pieces.
  '/drip': async (req, res, { query }) => {
    const chunks = Number(query.get('chunks') ?? 5);
    const interval = Number(query.get('interval') ?? 50);
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < chunks && !res.destroyed; i++) {
      res.write(`chunk${i};`);
      await sleep(interval);
    }
    res.end();
  },
  // ?when=before: the socket is destroyed before any byte; mid: after headers and some body.
  '/reset': (req, res, { query }) => {
    if (query.get('when') === 'mid') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
      res.write('x'.repeat(1000));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    req.socket.destroy();
  },
  // Content-Length 100, 10 bytes, end.
  '/short': (req, res) => {
    req.socket.write(
      'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n0123456789',
    );
    req.socket.end();
  },
  // Not HTTP at all.
  '/garbage': (req, res) => {
    req.socket.end('SSH-2.0-OpenSSH_9.2 this is not http\r\n\r\n');
  },
  // A status line, half the headers, then nothing.
  '/hang-headers': (req, res) => {
    req.socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/pl');
  },
  // ?n=bytes
  '/bytes': (req, res, { query }) => {
    const n = Number(query.get('n') ?? 1024);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(n) });
    res.end(Buffer.alloc(n, 97));
  },
};

function redirectTo(req, res, { query }) {
  res.writeHead(Number(query.get('status') ?? 302), { location: query.get('to') ?? '/echo' }).end();
}
