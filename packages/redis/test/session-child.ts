// One process of a fleet for the session tests: a session made with createSession({ store, ... })
// on a Redis store, driven by lines on stdin, answering one JSON line per command on stdout.
//   env: REDIS_URL, PREFIX, TIMEOUT (the store's, 5 s by default), RETRY and LIMIT (JSON of
//   those options, optional)
//   stdin: {"url": "...", "calls": N}  -> N calls at once; prints
//          {"statuses": [...], "errors": [...]}
//   stdin: {"cooldown": origin}          -> prints {"left": ms this process would wait now}
//   stdin: "exit"                      -> closes the session and the store, exits
import { createInterface } from 'node:readline';
import { createSession } from '@fetchstack/session';
import { createRedisStore } from '../src/index.js';

const env = process.env;
const store = createRedisStore({
  url: env.REDIS_URL as string,
  prefix: env.PREFIX,
  // Generous: on a loaded machine a slow answer must not send the test into local state.
  timeout: Number(env.TIMEOUT ?? 5_000),
  onError: () => {},
});
const session = createSession({
  store,
  proxy: false,
  cookies: false,
  ...(env.RETRY ? { retry: JSON.parse(env.RETRY) } : {}),
  ...(env.LIMIT ? { limit: JSON.parse(env.LIMIT) } : {}),
});

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'exit') break;
  const command = JSON.parse(line) as { cooldown?: string };
  if (command.cooldown) {
    const entry = await store.cooldown.get(command.cooldown);
    console.log(JSON.stringify({ left: entry ? Math.max(0, entry.until - Date.now()) : 0 }));
    continue;
  }
  const { url, calls } = JSON.parse(line) as { url: string; calls: number };
  const results = await Promise.allSettled(
    Array.from({ length: calls }, async () => {
      const response = await session(url);
      await response.text();
      return response.status;
    }),
  );
  console.log(
    JSON.stringify({
      statuses: results.map((r) => (r.status === 'fulfilled' ? r.value : 0)),
      errors: results.map((r) =>
        r.status === 'rejected' ? String((r.reason as Error)?.name ?? r.reason) : '',
      ),
    }),
  );
}
await session.close();
await store.close();
process.exit(0);
