// Routes the @fetchstack/auth cases need, beyond those in base.js.
//
// Counters (read with count(server, key) from the test-kit):
//   `${id}:calls`      requests /auth/bearer saw for id
//   `${id}:refresh`    calls of /auth/refresh for id
//   `${id}:challenges` 401 challenges /auth/digest sent for id
//   `${id}:ok`         requests /auth/digest accepted for id
import { createHash, randomBytes } from 'node:crypto';

const json = (res, status, value, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function bump(state, key) {
  const n = (state.counts.get(key) ?? 0) + 1;
  state.counts.set(key, n);
  return n;
}

/** Per-server auth state (tokens, nonces), kept on the shared state object. */
function authState(state) {
  state.auth ??= { tokens: new Map(), nonces: new Map() };
  return state.auth;
}

/** Parses `Digest a="b", c=d` into { a: 'b', c: 'd' } (enough for what our client sends). */
function parseDigest(header) {
  const out = {};
  const re = /([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const m of header.replace(/^Digest\s+/i, '').matchAll(re)) {
    out[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return out;
}

const hashes = { MD5: 'md5', 'MD5-SESS': 'md5', 'SHA-256': 'sha256', 'SHA-256-SESS': 'sha256' };

export const auth = {
  // /auth/bearer?id=ID[&token=T]: 200 when `Authorization: Bearer <current token of id>`
  // (the last one /auth/refresh issued, else ?token=, else "initial"); 401 otherwise.
  // Answers { ok, authorization, method, body, calls }.
  '/auth/bearer': (req, res, { state, query, record }) => {
    const id = query.get('id') ?? 'default';
    const calls = bump(state, `${id}:calls`);
    const expected = authState(state).tokens.get(id) ?? query.get('token') ?? 'initial';
    const authorization = req.headers.authorization ?? null;
    const ok = authorization === `Bearer ${expected}`;
    json(
      res,
      ok ? 200 : 401,
      { ok, authorization, method: record.method, body: record.body, calls },
      ok ? {} : { 'www-authenticate': 'Bearer realm="fetchstack", error="invalid_token"' },
    );
  },

  // /auth/refresh?id=ID[&ms=delay][&fail=1]: issues token `t<n>` (n = refreshes so far)
  // and makes it the only one /auth/bearer accepts for id. &fail=1 answers 500 instead.
  '/auth/refresh': async (req, res, { state, query }) => {
    const id = query.get('id') ?? 'default';
    const n = bump(state, `${id}:refresh`);
    await sleep(Number(query.get('ms') ?? 0));
    if (query.get('fail') === '1') return json(res, 500, { error: 'refresh refused' });
    const token = `t${n}`;
    authState(state).tokens.set(id, token);
    json(res, 200, { token });
  },

  // /auth/digest?id=ID&algorithm=MD5|MD5-sess|SHA-256|SHA-256-sess|<anything>&qop=auth|auth-int|none
  //   &user=user&pass=passwd&uses=N
  // RFC 7616 digest, checked for real. A nonce serves `uses` requests (default unlimited);
  // the next answer with it gets 401 with stale=true and a fresh nonce. A repeated nc for a
  // nonce is refused. Answers { ok, user, nc, cnonce, algorithm, qop, uri, method, body }.
  '/auth/digest': (req, res, { state, query, record }) => {
    const id = query.get('id') ?? 'default';
    const algorithm = query.get('algorithm') ?? 'MD5';
    const qop = query.get('qop') ?? 'auth';
    const user = query.get('user') ?? 'user';
    const pass = query.get('pass') ?? 'passwd';
    const uses = Number(query.get('uses') ?? Number.POSITIVE_INFINITY);
    const realm = 'fetchstack@127.0.0.1';
    const { nonces } = authState(state);

    const challenge = (stale) => {
      const nonce = randomBytes(12).toString('hex');
      nonces.set(nonce, { id, uses: 0, ncs: new Set() });
      bump(state, `${id}:challenges`);
      const parts = [`realm="${realm}"`, `nonce="${nonce}"`, `opaque="op-${id}"`];
      if (query.get('noAlgorithm') !== '1') parts.push(`algorithm=${algorithm}`);
      if (qop !== 'none') parts.push(`qop="${qop}"`);
      if (stale) parts.push('stale=true');
      json(res, 401, { ok: false, stale }, { 'www-authenticate': `Digest ${parts.join(', ')}` });
    };

    const header = req.headers.authorization;
    if (!header || !/^Digest\s/i.test(header)) return challenge(false);
    const p = parseDigest(header);
    const known = nonces.get(p.nonce);
    if (!known || known.id !== id) return challenge(false);
    const hashName = hashes[(p.algorithm ?? 'MD5').toUpperCase()];
    if (!hashName) return challenge(false);
    const H = (s) => createHash(hashName).update(s, 'utf8').digest('hex');
    const username =
      p.username ??
      (p['username*'] ? decodeURIComponent(p['username*'].replace(/^UTF-8''/i, '')) : undefined);
    let ha1 = H(`${user}:${realm}:${pass}`);
    if ((p.algorithm ?? '').toUpperCase().endsWith('-SESS'))
      ha1 = H(`${ha1}:${p.nonce}:${p.cnonce}`);
    const ha2 = H(`${req.method}:${p.uri}`);
    const expected =
      qop === 'none'
        ? H(`${ha1}:${p.nonce}:${ha2}`)
        : H(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
    const valid =
      username === user &&
      p.realm === realm &&
      p.uri === req.url &&
      p.response === expected &&
      (qop === 'none' ||
        (p.qop === 'auth' && /^[0-9a-f]{8}$/.test(p.nc ?? '') && !known.ncs.has(p.nc)));
    if (!valid) return challenge(false);
    if (known.uses >= uses) {
      nonces.delete(p.nonce);
      return challenge(true);
    }
    known.uses += 1;
    if (p.nc) known.ncs.add(p.nc);
    bump(state, `${id}:ok`);
    json(res, 200, {
      ok: true,
      user: username,
      nc: p.nc ?? null,
      cnonce: p.cnonce ?? null,
      algorithm: p.algorithm ?? null,
      qop: p.qop ?? null,
      uri: p.uri,
      method: record.method,
      body: record.body,
    });
  },
};
