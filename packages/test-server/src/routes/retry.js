// Routes the @fetchstack/retry and @fetchstack/timeout cases need, beyond those in base.js.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function bump(state, id) {
  const n = (state.counts.get(id) ?? 0) + 1;
  state.counts.set(id, n);
  return n;
}

export const retry = {
  // /retry/slow-first?id=X&fail=1&ms=1000: the first `fail` tries of id X wait `ms`
  // before their headers (an attempt timeout's prey); later tries answer at once.
  '/retry/slow-first': async (req, res, { state, query }) => {
    const id = query.get('id') ?? 'default';
    const tries = bump(state, id);
    if (tries <= Number(query.get('fail') ?? 1)) await sleep(Number(query.get('ms') ?? 1000));
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json', 'x-tries': String(tries) });
    res.end(JSON.stringify({ tries }));
  },
  // /retry/big-fail?id=X&fail=2&size=1000000: the first `fail` tries answer 503 with a
  // large body (which a retry layer must cancel, or the connection stays busy).
  '/retry/big-fail': (req, res, { state, query }) => {
    const id = query.get('id') ?? 'default';
    const tries = bump(state, id);
    if (tries <= Number(query.get('fail') ?? 1)) {
      const size = Number(query.get('size') ?? 1_000_000);
      res.writeHead(503, {
        'content-type': 'application/octet-stream',
        'content-length': String(size),
      });
      res.end(Buffer.alloc(size, 120));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ tries }));
  },
};
