// A real HTTP server on 127.0.0.1 for the fleet tests: counts what it receives.
//   /hold?ms=N        holds the request N ms (the most held at once is `max`), then 200 'ok'
//   /busy?after=S     429 with Retry-After: S (seconds) for the next `busy` requests, then 200 'ok'
//   /down             always 503 (no Retry-After)
//   /cached           200 with max-age=60
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Origin {
  url: string;
  server: Server;
  /** Requests received, per path. */
  hits: Map<string, number>;
  /** The most /hold requests held at once. */
  max: number;
  /** How many of the next /busy requests answer 429. */
  busy: number;
  /** When each request arrived (Date.now()), per path. */
  arrivals: Map<string, number[]>;
  total(path: string): number;
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOrigin(): Promise<Origin> {
  let holding = 0;
  const count = (req: IncomingMessage) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    origin.hits.set(path, (origin.hits.get(path) ?? 0) + 1);
    origin.arrivals.set(path, [...(origin.arrivals.get(path) ?? []), Date.now()]);
  };
  const origin: Origin = {
    url: '',
    hits: new Map(),
    max: 0,
    busy: 0,
    arrivals: new Map(),
    server: createServer(async (req, res) => {
      count(req);
      const url = new URL(req.url ?? '/', 'http://x');
      switch (url.pathname) {
        case '/hold': {
          holding++;
          origin.max = Math.max(origin.max, holding);
          await sleep(Number(url.searchParams.get('ms') ?? 50));
          holding--;
          res.end('ok');
          return;
        }
        case '/busy':
          if (origin.busy > 0) {
            origin.busy--;
            res.writeHead(429, { 'retry-after': url.searchParams.get('after') ?? '1' });
            res.end('slow down');
          } else res.end('ok');
          return;
        case '/down':
          res.writeHead(503);
          res.end('down');
          return;
        case '/cached':
          res.writeHead(200, { 'cache-control': 'max-age=60' });
          res.end('cached');
          return;
        default:
          res.end('ok');
      }
    }),
    total: (path) => origin.hits.get(path) ?? 0,
    reset() {
      origin.hits.clear();
      origin.max = 0;
      origin.busy = 0;
      origin.arrivals.clear();
    },
    async close() {
      origin.server.closeAllConnections();
      await new Promise((resolve) => origin.server.close(resolve));
    },
  };
  await new Promise<void>((resolve) => origin.server.listen(0, '127.0.0.1', resolve));
  origin.url = `http://127.0.0.1:${(origin.server.address() as { port: number }).port}`;
  return origin;
}
