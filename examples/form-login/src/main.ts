// Log in with an HTML form, then call the app with the cookies it set, like a browser would:
// fetch the form (a cookie and a CSRF token), post it, follow the redirect after the POST
// (each hop's Set-Cookie lands in the jar), then every later call carries the cookies.
// Then save the jar and restore it into a new session: logged in without posting the form again.
//   node examples/form-login/run.mjs
import { CookieJar, createSession } from '@fetchstack/session';
import { startLoginServer } from './server.js';

interface Invoice {
  id: string;
  owner: string;
  total: number;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const server = await startLoginServer();
try {
  let saved: string;
  {
    await using app = createSession({ baseUrl: server.base });

    // Before logging in, the API refuses.
    const before = await app('api/invoices');
    console.log(`GET api/invoices before logging in → ${before.status}`);
    check(before.status === 401, 'the API needs a login');

    // 1. The form: a `pre` cookie and a CSRF token tied to it.
    const page = await (await app('login')).text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? '';
    check(csrf !== '', 'the form carries a CSRF token');

    // 2. Post it. The 303 to /dashboard is followed (as a GET), with the new `sid` cookie.
    const login = await app('login', {
      method: 'POST',
      body: new URLSearchParams({
        username: 'ada',
        password: 'correct horse battery staple',
        csrf_token: csrf,
      }),
    });
    const landed = new URL(login.url).pathname;
    console.log(
      `POST login → ${login.status} at ${landed} (redirected: ${login.redirected}): ${await login.text()}`,
    );
    check(login.ok && landed === '/dashboard', 'logged in and redirected to the dashboard');

    // 3. Authenticated calls: the jar sends `sid`.
    const invoices = await app.client.get('api/invoices').json<Invoice[]>();
    console.log(`GET api/invoices → ${invoices.length} invoice(s) of ${invoices[0]?.owner}`);
    check(invoices[0]?.owner === 'ada', 'the API knows who we are');

    const names = (await app.cookies.all()).map((cookie) => cookie.name);
    console.log(`cookies in the jar: ${names.join(', ')}`);
    check(names.includes('sid') && !names.includes('pre'), 'sid kept, pre removed (Max-Age=0)');

    // Save the login (a file, a keychain...); here, a string.
    saved = JSON.stringify(app.cookies);
  }

  // 4. Later: a new session restored from the saved jar is logged in already.
  await using again = createSession({ baseUrl: server.base, cookies: CookieJar.fromJSON(saved) });
  const restored = await again.client.get('api/invoices').json<Invoice[]>();
  console.log(
    `restored session: GET api/invoices → ${restored.length} invoice(s) of ${restored[0]?.owner}`,
  );
  check(restored[0]?.owner === 'ada', 'the restored jar is still logged in');

  // A wrong password gets the form back, not a session.
  await using stranger = createSession({ baseUrl: server.base });
  const form = await (await stranger('login')).text();
  const token = /name="csrf_token" value="([^"]+)"/.exec(form)?.[1] ?? '';
  const refused = await stranger('login', {
    method: 'POST',
    body: new URLSearchParams({ username: 'ada', password: 'guess', csrf_token: token }),
  });
  const again401 = await stranger('api/invoices');
  console.log(
    `wrong password → ${refused.status} at ${new URL(refused.url).pathname}; API → ${again401.status}`,
  );
  check(again401.status === 401, 'no session after a wrong password');
} finally {
  await server.close();
}
