// A Cloudflare Worker using a session (bundled by run.mjs for the "workerd" condition).
// env.BASE is the local server's URL.
import { createSession } from '@fetchstack/session';

export default {
  async fetch(request, env) {
    const session = createSession({
      baseUrl: env.BASE,
      headers: { 'X-Runtime': 'workerd' },
      retry: { backoff: { initial: 50 } },
    });
    try {
      const set = await session(`set-cookie?c=${encodeURIComponent('rt=workerd; Path=/')}`);
      await set.body?.cancel();
      const seen = await session.client.get('echo/worker').json();
      const flaky = await session.client.get(`flaky?id=worker-${Date.now()}&fail=1`).json();
      return Response.json({
        header: seen.headers['x-runtime'],
        cookie: seen.headers.cookie,
        tries: flaky.tries,
      });
    } catch (error) {
      return Response.json({ error: `${error.name}: ${error.message}` }, { status: 500 });
    } finally {
      await session.close();
    }
  },
};
