// Routes the @fetchstack/cache cases need: deterministic caching headers, chosen by the query,
// with a count of what reached the server (`/__count?id=`).

// Chromium reads only the response headers a cross-origin answer exposes: the cache needs these.
const exposed = [
  'etag',
  'last-modified',
  'age',
  'vary',
  'cache-control',
  'expires',
  'date',
  'location',
  'content-location',
  'content-length',
  'cache-status',
  'x-n',
].join(', ');

function bump(state, id) {
  const n = (state.counts.get(id) ?? 0) + 1;
  state.counts.set(id, n);
  return n;
}

export const cache = {
  // /cache/resource?id=X&cc=max-age=60&etag="v1"&lm=<http-date>&expires=<date>&vary=accept-language
  //   &age=5&fail-after=1&fail-status=503&cookie=1&size=1000
  // Answers 200 with body `n=<count>` (or `size` bytes of "x"), the headers asked for, and
  // `x-n: <count>`. A matching If-None-Match / If-Modified-Since gets a 304 with the same
  // caching headers. After `fail-after` requests, answers `fail-status` (default 503). After
  // `slow-after` requests, answers only after `slow-ms` (default 10 s), or when the client goes.
  '/cache/resource': async (req, res, { state, query }) => {
    const id = query.get('id') ?? 'default';
    const n = bump(state, id);
    const slowAfter = query.get('slow-after');
    if (slowAfter && n > Number(slowAfter)) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, Number(query.get('slow-ms') ?? 10_000));
        res.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed) return;
    }
    const headers = { 'access-control-expose-headers': exposed, 'x-n': String(n) };
    const cc = query.get('cc');
    if (cc) headers['cache-control'] = cc;
    const etag = query.get('etag');
    if (etag) headers.etag = etag;
    const lm = query.get('lm');
    if (lm) headers['last-modified'] = lm;
    const vary = query.get('vary');
    if (vary) headers.vary = vary;
    const age = query.get('age');
    if (age) headers.age = age;
    const expires = query.get('expires');
    if (expires) headers.expires = expires;
    if (query.get('cookie')) headers['set-cookie'] = `n=${n}; Path=/`;
    const failAfter = query.get('fail-after');
    if (failAfter && n > Number(failAfter)) {
      res.writeHead(Number(query.get('fail-status') ?? 503), headers);
      res.end('failed');
      return;
    }
    const notModified =
      (etag && req.headers['if-none-match'] === etag) ||
      (!etag && lm && req.headers['if-modified-since'] === lm);
    if (notModified) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const size = query.get('size');
    const body = size ? Buffer.alloc(Number(size), 120) : `n=${n}`;
    headers['content-type'] = 'text/plain';
    res.writeHead(200, headers);
    res.end(body);
  },
  // /cache/write?id=X&location=/cache/resource?id=Y: a POST/PUT/DELETE answered 200 (count kept),
  // with the Location / Content-Location asked for.
  '/cache/write': (req, res, { state, query }) => {
    bump(state, query.get('id') ?? 'default');
    const headers = { 'access-control-expose-headers': exposed, 'content-type': 'text/plain' };
    const location = query.get('location');
    if (location) headers.location = location;
    const contentLocation = query.get('content-location');
    if (contentLocation) headers['content-location'] = contentLocation;
    res.writeHead(200, headers);
    res.end('written');
  },
};
