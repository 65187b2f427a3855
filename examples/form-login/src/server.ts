// A stand-in for a web app with a login form, on 127.0.0.1:
//   GET  /login          the form, with a CSRF token tied to a `pre` cookie it sets
//   POST /login          username, password, csrf_token → 303 to /dashboard with a `sid` cookie,
//                        or the form again (200) when something is wrong
//   GET  /dashboard      "Hello, <name>" with a valid `sid`, else 303 to /login
//   GET  /api/invoices   JSON with a valid `sid`, else 401
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoginServer {
  base: string;
  close: () => Promise<void>;
}

const users: Record<string, string> = { ada: 'correct horse battery staple' };

export async function startLoginServer(): Promise<LoginServer> {
  const csrfByPre = new Map<string, string>(); // pre-login cookie → CSRF token
  const userBySid = new Map<string, string>(); // session cookie → user name

  const cookiesOf = (req: IncomingMessage) =>
    Object.fromEntries(
      (req.headers.cookie ?? '')
        .split(';')
        .map((part) => part.trim().split('='))
        .filter(([name]) => name),
    ) as Record<string, string>;

  const readForm = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return new URLSearchParams(text);
  };

  const loginPage = (res: ServerResponse, message = '') => {
    const pre = randomUUID();
    const csrf = randomUUID();
    csrfByPre.set(pre, csrf);
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': `pre=${pre}; Path=/; HttpOnly; SameSite=Lax`,
      })
      .end(
        `<!doctype html><title>Log in</title><p>${message}</p>` +
          '<form method="post" action="/login">' +
          `<input type="hidden" name="csrf_token" value="${csrf}">` +
          '<input name="username"><input name="password" type="password"><button>Log in</button></form>',
      );
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cookies = cookiesOf(req);
    const user = cookies.sid ? userBySid.get(cookies.sid) : undefined;

    if (url.pathname === '/login' && req.method === 'GET') return loginPage(res);
    if (url.pathname === '/login' && req.method === 'POST') {
      const form = await readForm(req);
      const expected = cookies.pre ? csrfByPre.get(cookies.pre) : undefined;
      if (!expected || form.get('csrf_token') !== expected)
        return loginPage(res, 'Session expired, try again.');
      const name = form.get('username') ?? '';
      if (users[name] === undefined || users[name] !== form.get('password')) {
        return loginPage(res, 'Wrong user name or password.');
      }
      if (cookies.pre) csrfByPre.delete(cookies.pre);
      const sid = randomUUID();
      userBySid.set(sid, name);
      res
        .writeHead(303, {
          location: '/dashboard',
          'set-cookie': [`sid=${sid}; Path=/; HttpOnly; SameSite=Lax`, 'pre=; Path=/; Max-Age=0'],
        })
        .end();
      return;
    }
    if (url.pathname === '/dashboard') {
      if (!user) return res.writeHead(303, { location: '/login' }).end();
      return res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Hello, ${user}</h1>`);
    }
    if (url.pathname === '/api/invoices') {
      if (!user)
        return res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error":"log in first"}');
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify([{ id: 'inv-1', owner: user, total: 42 }]));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
