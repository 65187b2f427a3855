// A stand-in for a real API and its OAuth token endpoint, on 127.0.0.1:
//   POST /oauth/token  grant_type=refresh_token&refresh_token=...  → { access_token, refresh_token }
//   GET  /v1/orders    Authorization: Bearer <access token>        → the orders, or 401
// An access token is good for `uses` requests, then the API answers 401 until a new one is used.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenServer {
  base: string;
  /** How many times the token endpoint issued a token. */
  refreshes: () => number;
  close: () => Promise<void>;
}

export async function startTokenServer({ uses = 3 } = {}): Promise<TokenServer> {
  let access = 'expired-at-start';
  let refresh = 'refresh-1';
  let left = 0;
  let refreshes = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));

  const readBody = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refresh) {
        return send(res, 400, { error: 'invalid_grant' });
      }
      refreshes += 1;
      access = `access-${refreshes}`;
      refresh = `refresh-${refreshes + 1}`;
      left = uses;
      return send(res, 200, { access_token: access, refresh_token: refresh, token_type: 'Bearer' });
    }
    if (url.pathname === '/v1/orders') {
      if (req.headers.authorization !== `Bearer ${access}` || left <= 0) {
        return send(
          res,
          401,
          { error: 'invalid_token' },
          {
            'www-authenticate': 'Bearer realm="orders", error="invalid_token"',
          },
        );
      }
      left -= 1;
      const status = url.searchParams.get('status') ?? 'open';
      return send(res, 200, [{ id: `o-${Math.random().toString(36).slice(2, 8)}`, status }]);
    }
    send(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    refreshes: () => refreshes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
