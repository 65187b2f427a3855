// fetchstack in Node: a session with cookies, headers, retries and a pooled
// transport (undici) that close() frees.
//   node examples/runtime-node/index.mjs

import { createSession } from '@fetchstack/session';
import { check, startLocal } from '@fetchstack-examples/local-server';

const local = await startLocal();
try {
  const session = createSession({
    baseUrl: local.test,
    headers: { 'X-Runtime': `node ${process.version}` },
    pool: { connections: 4 },
  });
  try {
    const res = await session(`set-cookie?c=${encodeURIComponent('rt=node; Path=/')}`);
    await res.body?.cancel();
    const seen = await session.client.get('echo/node').json();
    console.log(
      `Node ${process.version}: X-Runtime=${seen.headers['x-runtime']}, Cookie=${seen.headers.cookie}`,
    );
    check(seen.headers.cookie === 'rt=node', 'cookie kept');
  } finally {
    await session.close();
  }
} finally {
  await local.close();
}
