// requests.Session tutorial, part 6: good practices.
// - close the session when done: `await using` (requests' `with` block), or try/finally;
// - timeouts everywhere (the session's default total is 30 s; set your own);
// - headers, auth and proxies configured in one place: a factory;
// - one session per unit of work, injected into the code that uses it, never a mutable global;
// - log the URL, status and latency (secrets redacted).
//   node examples/06-good-practices/index.mjs
// (`await using session = createSession()` closes it by itself in TypeScript 5.2+ and Node 24+;
// these examples run on Node 20 too, so they close explicitly.)
import { check, startLocal } from '@fetchstack-examples/local-server';
import { createSession, logger } from 'fetchstack';

/** The one place the configuration lives. */
function makeSession(baseUrl, log) {
  return createSession({
    baseUrl,
    headers: { 'User-Agent': 'good-practices/1.0', Accept: 'application/json' },
    auth: ['user', 'pass'],
    timeout: { total: 10_000, attempt: 3_000 },
    retry: { limit: 2, backoff: { initial: 100 } },
    hooks: logger(log),
  });
}

/** Code that needs HTTP takes a session: testable, and no global to mutate. */
async function fetchUserAgent(session, path) {
  const body = await session.client.get(path).json();
  return body.headers['User-Agent'] ?? body.headers['user-agent'];
}

const local = await startLocal();
const lines = [];
const log = {
  info: (line) => {
    lines.push(line);
    console.log(`  log: ${line}`);
  },
  warn: (line) => {
    lines.push(line);
    console.log(`  log: ${line}`);
  },
};
let closedSession;
try {
  {
    const session = makeSession(local.base, log);
    closedSession = session;
    console.log(
      'User-Agent seen by the server:',
      await fetchUserAgent(session, local.paths.headers),
    );
    // Two units of work in parallel, each with its own session (requests' "one session per thread").
    const other = makeSession(local.base, log);
    try {
      await Promise.all([
        fetchUserAgent(session, local.paths.anything),
        fetchUserAgent(other, local.paths.anything),
      ]);
    } finally {
      // What `await using` does at the end of the block.
      await other.close();
      await session.close();
    }
  }
  check(closedSession.closed, 'the session is closed');
  await closedSession(local.paths.anything).then(
    () => check(false, 'a closed session must refuse'),
    (error) => console.log(`after the block: ${error.name}`),
  );
  check(
    lines.length >= 3 && lines.every((l) => / → \d{3} \(attempt \d+, \d+ ms\)/.test(l)),
    'one log line per request',
  );
  check(!lines.join('\n').includes('dXNlcjpwYXNz'), 'credentials are never logged');
} finally {
  await local.close();
}
