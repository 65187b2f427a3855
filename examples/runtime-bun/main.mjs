// Runs in Bun (started by run.mjs with the local server's URL as its argument).
import { createSession } from '@fetchstack/session';

const base = process.argv[2];
const session = createSession({ baseUrl: base, headers: { 'X-Runtime': `bun ${Bun.version}` } });
try {
  const res = await session(`set-cookie?c=${encodeURIComponent('rt=bun; Path=/')}`);
  await res.body?.cancel();
  const seen = await session.client.get('echo/bun').json();
  console.log(
    `Bun ${Bun.version}: X-Runtime=${seen.headers['x-runtime']}, Cookie=${seen.headers.cookie}`,
  );
  if (seen.headers.cookie !== 'rt=bun') throw new Error('check failed: cookie kept');
} finally {
  await session.close();
}
