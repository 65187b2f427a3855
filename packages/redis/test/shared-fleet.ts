// Helpers of the shared jar and token tests: a real HTTP server on 127.0.0.1 with an OAuth-like
// token endpoint (rotating refresh tokens) and cookie routes, and a driver for the processes of
// test/shared-child.ts.
//   /api           200 'ok' for the current access token; else 401 (held until `barrier` such
//                  requests have arrived; with ?late=1, held until a refresh has succeeded)
//   POST /refresh  body = a refresh token: 200 {access, refresh} (the next pair) for the current
//                  one, 400 'reused' for any other; `mode` 'fail': 400 'invalid_grant' once
//                  `gate` opens; 'hang-first': the first refresh is never answered
//   /set?name&value[&maxAge]  Set-Cookie name=value; Path=/ (Max-Age when given)
//   /set-redirect?name&value  the same, and 302 to /echo
//   /echo          the Cookie header it received (or '')
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AuthOrigin {
  url: string;
  server: Server;
  /** The access token /api accepts now. */
  access: string;
  /** The refresh token /refresh accepts now. */
  refreshToken: string;
  /** Every POST /refresh: who sent it and how it was answered ('ok', 'reused', 'failed', 'hung'). */
  refreshes: { child: string; outcome: string }[];
  mode: 'ok' | 'fail' | 'hang-first';
  /** In 'fail' mode, the refresh is answered once this resolves. */
  gate: Promise<void>;
  /** 401s to /api are held until this many have arrived (0: answered at once). */
  barrier: number;
  /** The statuses /api answered, per `x-call` header (one entry per request received). */
  calls: Map<string, number[]>;
  /** Requests received per path. */
  hits: Map<string, number>;
  /** Resolves with the child's name when a refresh is left unanswered ('hang-first'). */
  hung: Promise<string>;
  reset(): void;
  close(): Promise<void>;
}

export async function startAuthOrigin(): Promise<AuthOrigin> {
  let held: ServerResponse[] = [];
  let late: ServerResponse[] = [];
  let serial = 0;
  let onHang: (child: string) => void = () => {};
  const hanging: ServerResponse[] = [];
  const unauthorized = (res: ServerResponse) => {
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
    res.end('expired');
  };
  const record = (req: IncomingMessage, status: number) => {
    const call = String(req.headers['x-call'] ?? '');
    origin.calls.set(call, [...(origin.calls.get(call) ?? []), status]);
  };
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      req.on('end', () => resolve(text));
    });

  const origin: AuthOrigin = {
    url: '',
    access: 'A0',
    refreshToken: 'R0',
    refreshes: [],
    mode: 'ok',
    gate: Promise.resolve(),
    barrier: 0,
    calls: new Map(),
    hits: new Map(),
    hung: Promise.resolve(''),
    server: createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      origin.hits.set(url.pathname, (origin.hits.get(url.pathname) ?? 0) + 1);
      switch (url.pathname) {
        case '/api': {
          if (req.headers.authorization === `Bearer ${origin.access}`) {
            record(req, 200);
            res.end(`ok ${origin.access}`);
            return;
          }
          record(req, 401);
          if (url.searchParams.has('late')) {
            late.push(res);
            return;
          }
          if (origin.barrier === 0) return unauthorized(res);
          held.push(res);
          if (held.length >= origin.barrier) {
            for (const r of held) unauthorized(r);
            held = [];
          }
          return;
        }
        case '/refresh': {
          const child = String(req.headers['x-child'] ?? '');
          const sent = await body(req);
          if (origin.mode === 'hang-first' && !origin.refreshes.some((r) => r.outcome === 'hung')) {
            origin.refreshes.push({ child, outcome: 'hung' });
            hanging.push(res);
            onHang(child);
            return;
          }
          if (origin.mode === 'fail') {
            await origin.gate;
            origin.refreshes.push({ child, outcome: 'failed' });
            res.writeHead(400);
            res.end('invalid_grant');
            return;
          }
          if (sent !== origin.refreshToken) {
            origin.refreshes.push({ child, outcome: 'reused' });
            res.writeHead(400);
            res.end('reused');
            return;
          }
          serial++;
          origin.access = `A${serial}`;
          origin.refreshToken = `R${serial}`;
          origin.refreshes.push({ child, outcome: 'ok' });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access: origin.access, refresh: origin.refreshToken }));
          for (const r of late) unauthorized(r);
          late = [];
          return;
        }
        case '/set':
        case '/set-redirect': {
          const maxAge = url.searchParams.get('maxAge');
          const cookie = `${url.searchParams.get('name')}=${url.searchParams.get('value') ?? ''}; Path=/${maxAge === null ? '' : `; Max-Age=${maxAge}`}`;
          if (url.pathname === '/set-redirect') {
            res.writeHead(302, { 'set-cookie': cookie, location: '/echo' });
          } else res.writeHead(200, { 'set-cookie': cookie });
          res.end('set');
          return;
        }
        case '/echo':
          res.end(req.headers.cookie ?? '');
          return;
        default:
          res.writeHead(404);
          res.end();
      }
    }),
    reset() {
      // No access token is valid until a refresh hands one out.
      origin.access = 'none yet';
      origin.refreshToken = 'R0';
      origin.refreshes = [];
      origin.mode = 'ok';
      origin.gate = Promise.resolve();
      origin.barrier = 0;
      origin.calls.clear();
      origin.hits.clear();
      origin.hung = new Promise((resolve) => {
        onHang = resolve;
      });
      serial = 0;
      held = [];
      late = [];
    },
    async close() {
      for (const r of hanging) r.destroy();
      origin.server.closeAllConnections();
      await new Promise((resolve) => origin.server.close(resolve));
    },
  };
  origin.reset();
  await new Promise<void>((resolve) => origin.server.listen(0, '127.0.0.1', resolve));
  origin.url = `http://127.0.0.1:${(origin.server.address() as { port: number }).port}`;
  return origin;
}

const root = fileURLToPath(new URL('../../..', import.meta.url));
const script = fileURLToPath(new URL('./shared-child.ts', import.meta.url));

export interface CallResult {
  status?: number;
  body?: string;
  error?: { name: string; message: string };
}

/** A process of test/shared-child.ts. */
export class FleetChild {
  readonly proc: ChildProcess;
  readonly events: string[] = [];
  private next = 0;
  private readonly answers = new Map<number, (answer: Record<string, unknown>) => void>();
  private readonly watchers = new Set<() => void>();
  private exited = false;

  constructor(env: Record<string, string>) {
    this.proc = spawn(
      process.execPath,
      ['--import', 'tsx/esm', '--import', join(root, 'scripts/unit/register.mjs'), script],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let buffer = '';
    this.proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        if (typeof line.event === 'string') this.events.push(line.event);
        else this.answers.get(line.id as number)?.(line);
        for (const watch of [...this.watchers]) watch();
      }
    });
    this.proc.once('exit', () => {
      this.exited = true;
      for (const watch of [...this.watchers]) watch();
    });
  }

  /** Resolves once `event` has been told `count` times (rejects if the process exits first). */
  until(event: string, count = 1): Promise<void> {
    return new Promise((resolve, reject) => {
      const watch = () => {
        if (this.events.filter((e) => e === event).length >= count) {
          this.watchers.delete(watch);
          resolve();
        } else if (this.exited) {
          this.watchers.delete(watch);
          reject(new Error(`the child exited before "${event}"`));
        }
      };
      this.watchers.add(watch);
      watch();
    });
  }

  send(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = ++this.next;
    let watch = () => {};
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      this.answers.set(id, resolve);
      watch = () => {
        if (this.exited)
          reject(new Error(`the child exited before answering ${JSON.stringify(command)}`));
      };
      this.watchers.add(watch);
      this.proc.stdin?.write(`${JSON.stringify({ ...command, id })}\n`);
    }).finally(() => {
      this.answers.delete(id);
      this.watchers.delete(watch);
    });
  }

  async fetch(path: string, count = 1): Promise<CallResult[]> {
    return (await this.send({ op: 'fetch', path, count })).results as CallResult[];
  }

  async close(): Promise<void> {
    if (this.exited) return;
    await this.send({ op: 'close' }).catch(() => {});
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

/** Starts `count` children and waits until each is up. */
export async function startChildren(
  count: number,
  env: (i: number) => Record<string, string>,
): Promise<FleetChild[]> {
  const children = Array.from({ length: count }, (_, i) => new FleetChild(env(i)));
  await Promise.all(children.map((c) => c.until('up')));
  return children;
}
