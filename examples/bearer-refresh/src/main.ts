// A JSON API behind a bearer token that expires, and its token endpoint.
// The session sends the token; on a 401 it calls `refresh` once (however many requests
// got the 401 at the same time), then sends each of those requests once more.
//   node examples/bearer-refresh/run.mjs
import { createSession } from '@fetchstack/session';
import { startTokenServer } from './server.js';

interface Order {
  id: string;
  status: string;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const server = await startTokenServer({ uses: 3 }); // each access token is good for 3 requests
const tokens = { access: 'expired-at-start', refresh: 'refresh-1' };

try {
  await using api = createSession({
    baseUrl: `${server.base}/v1/`,
    headers: { Accept: 'application/json' },
    auth: {
      bearer: () => tokens.access,
      refresh: async () => {
        // The token endpoint, called with plain fetch (outside the session).
        const res = await fetch(`${server.base}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh }),
        });
        if (!res.ok) throw new Error(`token refresh failed: ${res.status}`);
        const body = (await res.json()) as { access_token: string; refresh_token: string };
        tokens.access = body.access_token;
        tokens.refresh = body.refresh_token;
        console.log(`refreshed: now using ${tokens.access}`);
        return tokens.access;
      },
      origins: [server.base], // the token goes to this origin only
    },
  });

  // The token we start with has expired: 401, one refresh, the request is sent again.
  const open = await api.client.get('orders', { searchParams: { status: 'open' } }).json<Order[]>();
  console.log(`GET orders?status=open → ${open.length} order(s), status ${open[0]?.status}`);
  check(open[0]?.status === 'open', 'the first call succeeded after a refresh');
  check(server.refreshes() === 1, 'one refresh so far');

  // Five calls at once, with two uses left on the token: three get a 401 and share ONE refresh.
  const burst = await Promise.all(
    Array.from({ length: 5 }, () => api.client.get('orders').json<Order[]>()),
  );
  console.log(
    `5 concurrent calls → ${burst.length} answers, ${server.refreshes()} refreshes in total`,
  );
  check(
    burst.every((orders) => orders.length === 1),
    'every concurrent call succeeded',
  );
  check(server.refreshes() === 2, `one refresh for the whole burst (got ${server.refreshes()})`);
} finally {
  await server.close();
}
