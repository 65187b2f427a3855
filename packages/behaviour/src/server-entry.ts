// Entry for Node, Deno and Bun: every portable case plus the server-only ones.
import { formatResult, run, summarize } from '@fetchstack/test-kit';
import '../cases/index.js';
import '../cases/server-only/index.js';
import { exit, serverEnv } from './env.js';

const { env, filter } = serverEnv();
const label = env.runtime === 'node' ? `node${env.nodeMajor}` : env.runtime;
const results = await run(env, { filter, report: (r) => console.log(formatResult(label, r)) });
console.log(`@@RESULT ${JSON.stringify({ runtime: label, ...summarize(results) })}`);
// Exit explicitly: leaked handles are hunted by their own cases (a child process
// with a deadline), not by hanging the whole runtime's run.
exit(0);
