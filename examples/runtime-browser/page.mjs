// Runs in the page (bundled by run.mjs for the "browser" condition). The browser
// keeps the cookies and follows redirects itself; the session adds headers,
// retries, timeouts and the ky client.
import { createSession } from '@fetchstack/session';

async function main() {
  const session = createSession({
    baseUrl: `${location.origin}/`,
    headers: { 'X-Runtime': 'browser' },
    retry: { backoff: { initial: 50 } },
  });
  try {
    const res = await session(`set-cookie?c=${encodeURIComponent('rt=browser; Path=/')}`);
    await res.body?.cancel();
    const seen = await session.client.get('echo/browser').json();
    const id = `browser-${Date.now()}`;
    const flaky = await session.client.get(`flaky?id=${id}&fail=1`).json();
    return {
      runtime: navigator.userAgent,
      header: seen.headers['x-runtime'],
      cookie: seen.headers.cookie,
      tries: flaky.tries,
    };
  } finally {
    await session.close();
  }
}

globalThis.__result = main().catch((error) => ({ error: `${error.name}: ${error.message}` }));
