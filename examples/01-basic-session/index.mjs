// requests.Session tutorial, part 1: why a session. One session keeps the cookie a response set and
// sends it with the next request, over a reused connection.
//   node examples/01-basic-session/index.mjs
// (`await using session = createSession()` closes it by itself in TypeScript 5.2+ and Node 24+;
// these examples run on Node 20 too, so they close explicitly.)
import { check, startLocal } from '@fetchstack-examples/local-server';
import { createSession } from 'fetchstack';

const local = await startLocal();
try {
  const session = createSession({ baseUrl: local.base });

  const r1 = await session(local.paths.setCookie('session', 'jaaj'));
  check(r1.ok, `set the cookie: status ${r1.status}`);
  await r1.body?.cancel();

  // The cookie is kept and sent back automatically with the next request.
  const r2 = await session(local.paths.cookies);
  const body = await r2.json();
  console.log(`[${local.kind}] /cookies answered`, JSON.stringify({ cookies: body.cookies }));
  check(body.cookies.session === 'jaaj', 'the session sent the cookie back');
  await session.close();
} finally {
  await local.close();
}
