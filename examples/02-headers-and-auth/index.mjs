// requests.Session tutorial, part 2: shared headers and auth, set once on the session, overridable per request.
//   node examples/02-headers-and-auth/index.mjs
// (`await using session = createSession()` closes it by itself in TypeScript 5.2+ and Node 24+;
// these examples run on Node 20 too, so they close explicitly.)
import { check, startLocal } from '@fetchstack-examples/local-server';
import { createSession } from 'fetchstack';

const local = await startLocal();
try {
  const session = createSession({ baseUrl: local.base, timeout: 10_000 });
  // s.headers.update({...}): session.headers is a live Headers object.
  session.headers.set('User-Agent', 'fetchstack-tutorial/1.0');
  session.headers.set('Accept', 'application/json');
  // s.auth = ("user", "pass")
  session.auth = ['user', 'pass'];

  const me = await session.client.get(local.paths.basicAuth('user', 'pass')).json();
  console.log(
    'basic auth accepted:',
    JSON.stringify(me.authenticated ?? me.headers?.authorization),
  );

  const sent = await session.client.get(local.paths.headers).json();
  console.log(
    'headers sent:',
    sent.headers['User-Agent'] ?? sent.headers['user-agent'],
    '|',
    sent.headers.Accept ?? sent.headers.accept,
  );
  check(
    /fetchstack-tutorial/.test(JSON.stringify(sent.headers)),
    'the session User-Agent was sent',
  );
  check(/Basic /.test(JSON.stringify(sent.headers)), 'basic auth was sent');

  // Per request: a header the call sets wins over the session's.
  const once = await session.client
    .get(local.paths.headers, { headers: { Accept: 'text/plain' } })
    .json();
  const accept = once.headers.Accept ?? once.headers.accept;
  console.log('Accept for one request:', accept);
  check(accept === 'text/plain', 'the call header won');
  await session.close();
} finally {
  await local.close();
}
