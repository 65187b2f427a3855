// Routes the @fetchstack/session cases need, beyond those in base.js.

const json = (res, status, value, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

function bump(state, id) {
  const n = (state.counts.get(id) ?? 0) + 1;
  state.counts.set(id, n);
  return n;
}

// Sockets that served /session/track, by `<listener>:<socket id>`, so a case can ask
// whether the client closed them (the `await using` case). Entries leave when the socket closes.
const tracked = new Map();

export const session = {
  // Answers { key } naming the socket this request came on.
  '/session/track': (req, res, { name }) => {
    const key = `${name}:${req.socket.fetchstackId}`;
    if (!tracked.has(key)) {
      tracked.set(key, req.socket);
      req.socket.once('close', () => tracked.set(key, null));
    }
    json(res, 200, { key });
  },
  // /session/socket-state?key=K → { open: true | false } (false also for an unknown key).
  '/session/socket-state': (req, res, { query }) => {
    const socket = tracked.get(query.get('key'));
    json(res, 200, { open: Boolean(socket && !socket.destroyed) });
  },
  // /session/retry-cookie?id=X: the first try answers 503 and sets `try1=yes`;
  // later tries answer 200 with what they carried (so a case can see that the
  // retry sent the cookie the failed try set, and the session's headers and auth again).
  '/session/retry-cookie': (req, res, { state, query, record }) => {
    const tries = bump(state, `retry-cookie:${query.get('id')}`);
    if (tries === 1) {
      res
        .writeHead(503, { 'content-type': 'text/plain', 'set-cookie': 'try1=yes; Path=/session/' })
        .end('failure 1');
      return;
    }
    json(res, 200, { tries, headers: record.headers });
  },
  // /session/protected?token=T: 401 (WWW-Authenticate: Bearer) unless `Authorization: Bearer T`.
  '/session/protected': (req, res, { query }) => {
    const want = `Bearer ${query.get('token') ?? 'fresh'}`;
    if (req.headers.authorization !== want) {
      json(
        res,
        401,
        { error: 'invalid token' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
      return;
    }
    json(res, 200, { ok: true });
  },
  // /session/token?answer=200|401: a token endpoint. 200 gives { token: 'fresh' } (whatever
  // Authorization the call carried); 401 refuses every call (the refresh-calls-the-session case).
  '/session/token': (req, res, { query }) => {
    if (query.get('answer') === '200') {
      json(res, 200, { token: 'fresh' });
      return;
    }
    json(
      res,
      401,
      { error: 'invalid_client' },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    );
  },
};
