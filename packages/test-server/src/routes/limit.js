// Routes the @fetchstack/limit cases need: a route that holds requests and counts how many it
// holds at once, per id.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const json = (res, status, value) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
};

function countsOf(state, id) {
  state.limits ??= new Map();
  let counts = state.limits.get(id);
  if (!counts) {
    counts = { now: 0, max: 0, total: 0, arrivals: [] };
    state.limits.set(id, counts);
  }
  return counts;
}

export const limit = {
  // /limit/hold?id=X&ms=200: holds the request `ms` before answering; counts the requests of id
  // X held at once. Answers { held: how many were held when this one arrived (itself included) }.
  '/limit/hold': async (req, res, { state, query }) => {
    const counts = countsOf(state, query.get('id') ?? 'default');
    counts.now++;
    counts.total++;
    counts.max = Math.max(counts.max, counts.now);
    counts.arrivals.push(Date.now());
    const held = counts.now;
    try {
      await sleep(Number(query.get('ms') ?? 200));
    } finally {
      counts.now--;
    }
    if (!res.destroyed) json(res, 200, { held });
  },
  // /limit/stats?id=X: { max, total, now, arrivals } for id X (arrivals: ms after the first).
  '/limit/stats': (req, res, { state, query }) => {
    const { max, total, now, arrivals } = countsOf(state, query.get('id') ?? 'default');
    json(res, 200, { max, total, now, arrivals: arrivals.map((t) => t - (arrivals[0] ?? t)) });
  },
};
