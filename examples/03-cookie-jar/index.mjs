// requests.Session tutorial, part 3: the persistent cookie jar. Set a cookie by hand for a domain,
// iterate the jar, save it as JSON and restore it in a second session.
//   node examples/03-cookie-jar/index.mjs
// (`await using session = createSession()` closes it by itself in TypeScript 5.2+ and Node 24+;
// these examples run on Node 20 too, so they close explicitly.)
import { check, startLocal } from '@fetchstack-examples/local-server';
import { CookieJar, createSession } from 'fetchstack';

const local = await startLocal();
try {
  const host = new URL(local.base).hostname;
  let saved;
  {
    const session = createSession({ baseUrl: local.base });
    // s.cookies.set("locale", "fr-FR", domain="example.com")
    await session.cookies.set('locale', 'fr-FR', { domain: host, path: '/' });
    const res = await session(local.paths.setCookie('theme', 'dark'));
    await res.body?.cancel();
    const sent = await session.client.get(local.paths.cookies).json();
    console.log('the server received:', JSON.stringify(sent.cookies));
    check(sent.cookies.locale === 'fr-FR', 'the hand-set cookie was sent');

    // for c in s.cookies: print(c.name, c.value)
    for (const c of await session.cookies.all())
      console.log(`  jar: ${c.name}=${c.value} (domain ${c.domain}, path ${c.path})`);
    saved = JSON.stringify(session.cookies);
    await session.close();
  }
  // A second session, restored from the JSON the first one saved.
  const again = createSession({ baseUrl: local.base, cookies: CookieJar.fromJSON(saved) });
  const restored = await again.client.get(local.paths.cookies).json();
  console.log('restored session sent:', JSON.stringify(restored.cookies));
  check(
    restored.cookies.theme === 'dark' && restored.cookies.locale === 'fr-FR',
    'cookies survived the JSON round trip',
  );
  await again.close();
} finally {
  await local.close();
}
