// The project's test server. One process, several listeners (each its own
// origin) sharing one request log and one set of counters, so a case can ask
// "what did the second origin receive?" through the first.
//
//   import { startServers } from '@fetchstack/test-server';
//   const servers = await startServers();   // servers.info is a ServerInfo
//   ...
//   await servers.close();
import http from 'node:http';
import https from 'node:https';
import { makeCerts } from './certs.js';
import { routes } from './routes/index.js';
import { startThirdParty } from './third-party.js';

/** @typedef {{ log: Map<string, object[]>, counts: Map<string, number>, info: object, staticFiles: Map<string, {type: string, body: string | Buffer}> }} State */

export { launchChromium } from './chromium.js';

export async function startServers({ thirdParty = false } = {}) {
  const certs = makeCerts();
  /** @type {State} */
  const state = { log: new Map(), counts: new Map(), info: {}, staticFiles: new Map() };
  const listeners = [];

  async function listen(name, make, port = 0, host = '127.0.0.1') {
    const stats = { total: 0, open: 0, nextId: 1 };
    // A client that stops sending its body half way (an upload stream that fails) leaves an
    // unread request: drop it, never the whole server.
    const server = make((req, res) =>
      handle(req, res, { state, name, stats, certs }).catch(() => res.destroy()),
    );
    // Longer than any client pool keeps an idle socket, so the client always closes
    // first: a server closing an idle socket as a client reuses it is a reset.
    server.keepAliveTimeout = 65_000;
    // For TLS, req.socket is the TLSSocket, which 'secureConnection' hands out.
    server.on(server instanceof https.Server ? 'secureConnection' : 'connection', (socket) => {
      socket.fetchstackId = stats.nextId++;
      socket.fetchstackStats = stats;
      socket.on('close', () => {
        if (socket.fetchstackUsed) stats.open -= 1;
      });
    });
    server.on('clientError', (error, socket) => socket.destroy(error));
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    listeners.push(server);
    return { server, port: server.address().port, stats };
  }

  const tls = { cert: certs.server.cert, key: certs.server.key, ca: certs.ca };
  const main = await listen('http', (h) => http.createServer(h));
  await listen('http', (h) => http.createServer(h), main.port, '::1').catch(() => {});
  const second = await listen('http2', (h) => http.createServer(h));
  const secure = await listen('https', (h) => https.createServer(tls, h));
  await listen('https', (h) => https.createServer(tls, h), secure.port, '::1').catch(() => {});
  const mtls = await listen('mtls', (h) =>
    https.createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, h),
  );
  const wrongHost = await listen('wronghost', (h) =>
    https.createServer({ cert: certs.wrongHost.cert, key: certs.wrongHost.key }, h),
  );
  const expired = certs.expired
    ? await listen('expired', (h) =>
        https.createServer({ cert: certs.expired.cert, key: certs.expired.key }, h),
      )
    : undefined;

  const third = thirdParty
    ? await startThirdParty({ httpsPort: secure.port, httpPorts: [main.port, second.port] })
    : { info: {}, close: async () => {} };

  const info = {
    http: `http://127.0.0.1:${main.port}`,
    httpLocalhost: `http://localhost:${main.port}`,
    http2: `http://127.0.0.1:${second.port}`,
    https: `https://127.0.0.1:${secure.port}`,
    httpsLocalhost: `https://localhost:${secure.port}`,
    mtls: `https://127.0.0.1:${mtls.port}`,
    wrongHost: `https://127.0.0.1:${wrongHost.port}`,
    expired: expired ? `https://127.0.0.1:${expired.port}` : undefined,
    ca: certs.ca,
    clientCert: certs.client.cert,
    clientKey: certs.client.key,
    ...third.info,
  };
  state.info = info;

  return {
    info,
    state,
    /** Serve a file at `/__static/<name>` (the Chromium runner's page and bundle). */
    serveStatic(name, type, body) {
      state.staticFiles.set(name, { type, body });
    },
    async close() {
      await third.close();
      await Promise.all(
        listeners.map(
          (server) =>
            new Promise((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections?.();
            }),
        ),
      );
    },
  };
}

const corsExposed = [
  'content-type',
  'content-length',
  'retry-after',
  'location',
  'x-attempt',
  'x-tries',
  'www-authenticate',
  'x-socket',
  'x-listener',
  'date',
  'x-received-authorization',
].join(', ');

async function handle(req, res, ctx) {
  const url = new URL(req.url, 'http://x');
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', corsExposed);
    res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    // `?cors=simple`: a server that serves only simple requests (many public APIs) allows no
    // method or header beyond the safelisted ones, so the page's preflighted request fails.
    if (url.searchParams.get('cors') === 'simple') {
      res.writeHead(204).end();
      return;
    }
    res.setHeader(
      'access-control-allow-methods',
      'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, PROPFIND',
    );
    if (req.headers['access-control-request-headers']) {
      res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers']);
    }
    res.setHeader('access-control-max-age', '600');
    res.writeHead(204).end();
    return;
  }

  const body = await readBody(req);
  // Sockets are counted once they serve a real request, so control calls
  // (/__log, /__sockets) do not disturb the counts they report.
  if (!url.pathname.startsWith('/__') && !req.socket.fetchstackUsed && req.socket.fetchstackStats) {
    req.socket.fetchstackUsed = true;
    req.socket.fetchstackStats.total += 1;
    req.socket.fetchstackStats.open += 1;
  }
  const logId = url.searchParams.get('log');
  const record = {
    method: req.method,
    url: req.url,
    listener: `${ctx.name}:${req.socket.localPort}`,
    host: req.headers.host,
    headers: joinedHeaders(req),
    body: body.toString('utf8'),
    socket: req.socket.fetchstackId,
    at: Date.now(),
  };
  if (logId) {
    const list = ctx.state.log.get(logId) ?? [];
    list.push(record);
    ctx.state.log.set(logId, list);
  }
  res.setHeader('x-listener', ctx.name);
  res.setHeader('x-socket', String(req.socket.fetchstackId));

  const route = routes[url.pathname] ?? matchPrefix(url.pathname);
  if (!route) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${url.pathname}`);
    return;
  }
  try {
    await route(req, res, { ...ctx, url, body, record, query: url.searchParams });
  } catch (error) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`test server error: ${error?.stack ?? error}`);
  }
}

function matchPrefix(pathname) {
  for (const [key, route] of Object.entries(routes)) {
    if (key.endsWith('/*') && pathname.startsWith(key.slice(0, -1))) return route;
  }
  return undefined;
}

function joinedHeaders(req) {
  const out = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const value = req.rawHeaders[i + 1];
    out[name] = name in out ? `${out[name]}${name === 'cookie' ? '; ' : ', '}${value}` : value;
  }
  return out;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
