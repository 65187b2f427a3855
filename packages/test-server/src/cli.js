#!/usr/bin/env node
// Runs the test servers as a standalone process for runtimes that cannot host
// them (Deno, Bun, Chromium, workerd): prints one JSON line (the ServerInfo),
// then serves until SIGTERM, SIGINT or its stdin closes.
import { startServers } from './index.js';

const servers = await startServers({ thirdParty: !process.argv.includes('--no-third-party') });
process.stdout.write(`${JSON.stringify(servers.info)}\n`);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await servers.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
