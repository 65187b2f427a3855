// Runs in Deno (started by run.mjs with the local server's URL as its argument).
import { createSession } from '@fetchstack/session';

const base = Deno.args[0];
const session = createSession({
  baseUrl: base,
  headers: { 'X-Runtime': `deno ${Deno.version.deno}` },
});
try {
  const res = await session(`set-cookie?c=${encodeURIComponent('rt=deno; Path=/')}`);
  await res.body?.cancel();
  const seen = await session.client.get('echo/deno').json();
  console.log(
    `Deno ${Deno.version.deno}: X-Runtime=${seen.headers['x-runtime']}, Cookie=${seen.headers.cookie}`,
  );
  if (seen.headers.cookie !== 'rt=deno') throw new Error('check failed: cookie kept');
} finally {
  await session.close();
}
