// requests.Session tutorial, part 5: timeouts and proxies. requests' timeout=(3.05, 10) and
// s.proxies.update({"http": ..., "https": ...}).
//   node examples/05-timeouts-and-proxies/index.mjs
// (`await using session = createSession()` closes it by itself in TypeScript 5.2+ and Node 24+;
// these examples run on Node 20 too, so they close explicitly.)
import { check, startLocal } from '@fetchstack-examples/local-server';
import { createSession, isTimeoutError } from 'fetchstack';

const local = await startLocal();
try {
  // (connect, read): connect 3.05 s; each try's headers and the body's quiet gaps 10 s.
  const session = createSession({
    baseUrl: local.base,
    timeout: { connect: 3_050, attempt: 10_000, read: 10_000 },
  });
  const ok = await session(local.paths.delay(1));
  console.log(`a 1 s endpoint within the limits: status ${ok.status}`);
  await ok.body?.cancel();
  await session.close();

  // A timeout firing: a 500 ms total against a 3 s endpoint, retries off.
  const hurried = createSession({ baseUrl: local.base, timeout: 500, retry: false });
  const started = Date.now();
  try {
    await hurried(local.paths.delay(3));
    check(false, 'the timeout should have fired');
  } catch (error) {
    console.log(`timeout fired after ~${Date.now() - started} ms: ${error.name}: ${error.message}`);
    check(isTimeoutError(error), 'a TimeoutError');
  }
  await hurried.close();

  // A proxy per scheme (tinyproxy, when installed).
  if (local.proxy) {
    const proxied = createSession({ proxy: { http: local.proxy, https: local.proxy } });
    const res = await proxied(`${local.test}echo/through-proxy`);
    const seen = await res.json();
    console.log(`through ${local.proxy}: the server saw Via: ${seen.headers.via}`);
    check(/tinyproxy/i.test(seen.headers.via ?? ''), 'the request went through tinyproxy');
    await proxied.close();
  } else {
    console.log('proxy part skipped: tinyproxy is not installed (apt-get install tinyproxy)');
  }
} finally {
  await local.close();
}
