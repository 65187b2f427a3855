// One process of a fleet for the shared jar and token tests: createSession({ store, auth }) on a
// Redis store, driven by JSON lines on stdin, answering one JSON line per command on stdout
// (each answer carries the command's `id`). Lines with `event` are told without being asked.
//   env: REDIS_URL, PREFIX, ORIGIN, NAME (this process, sent to /refresh), TOKEN (the first
//        access token), LEASE (ms), TIMEOUT (ms)
//   {"id", "op": "fetch", "path", "count"}   count calls at once -> {"results": [{status, body} | {error}]}
//   {"id", "op": "waitCookie", "name", "gone"?} until the local jar has (or, with gone, lacks)
//        the cookie for ORIGIN (at most 10 s) -> {"found": boolean}
//   {"id", "op": "close"}                     session.close(), store.close() -> {"closed": true}, exit
// Events: {"event": "up"}; {"event": "outage"} for each onError of the store.
import { createInterface } from 'node:readline';
import { createSession } from '@fetchstack/session';
import { createRedisStore } from '../src/index.js';

const env = process.env;
const origin = env.ORIGIN as string;
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const store = createRedisStore({
  url: env.REDIS_URL as string,
  prefix: env.PREFIX,
  lease: Number(env.LEASE ?? 30_000),
  timeout: Number(env.TIMEOUT ?? 5_000),
  onError: () => say({ event: 'outage' }),
});

// The refresh: a rotating refresh token, as an OAuth server hands out. This process keeps the
// one it was given last; the server refuses one that was already used.
let refreshToken = 'R0';
async function refresh(): Promise<string> {
  const response = await fetch(`${origin}/refresh`, {
    method: 'POST',
    headers: { 'x-child': env.NAME ?? '?' },
    body: refreshToken,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`refresh refused: ${response.status} ${text}`);
  const { access, refresh: next } = JSON.parse(text) as { access: string; refresh: string };
  refreshToken = next;
  return access;
}

const session = createSession({
  store,
  proxy: false,
  retry: false,
  auth: { bearer: env.TOKEN ?? 'A0', refresh },
});

say({ event: 'up' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line) as {
    id: number;
    op: string;
    path?: string;
    count?: number;
    name?: string;
    gone?: boolean;
  };
  if (command.op === 'fetch') {
    const results = await Promise.all(
      Array.from({ length: command.count ?? 1 }, async (_, i) => {
        try {
          const response = await session(`${origin}${command.path}`, {
            headers: { 'x-call': `${env.NAME}-${command.id}-${i}` },
          });
          return { status: response.status, body: await response.text() };
        } catch (error) {
          return { error: { name: (error as Error).name, message: (error as Error).message } };
        }
      }),
    );
    say({ id: command.id, results });
  } else if (command.op === 'waitCookie') {
    let found = false;
    for (let i = 0; i < 1_000; i++) {
      found = (await session.cookies.get(command.name as string, origin)) !== undefined;
      if (found !== Boolean(command.gone)) break;
      await sleep(10);
    }
    say({ id: command.id, found });
  } else if (command.op === 'close') {
    await session.close();
    await store.close();
    say({ id: command.id, closed: true });
    break;
  }
}
process.exit(0);
