#!/usr/bin/env node
// A quick local throughput comparison of ways to send a request from Node, on loopback:
// Node's global fetch, undici's fetch with an Agent, undici.request, and this package's
// transport (undici's fetch + conversion to a global Response). Not a test: numbers vary
// by machine. The full benchmark lives in bench/.
//
//   pnpm --filter @fetchstack/proxy build && node packages/proxy/bench-local.mjs [seconds]
import { spawn } from 'node:child_process';
import { Agent, request, fetch as undiciFetch } from 'undici';
import { createTransport } from './dist/node.js';

const seconds = Number(process.argv[2] ?? 2);
const server = spawn(
  process.execPath,
  [
    '-e',
    `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('{"ok":true,"pad":"${'x'.repeat(200)}"}')); })
       .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise((resolve) =>
  server.stdout.once('data', (d) => resolve(Number(String(d)))),
);
const url = `http://127.0.0.1:${port}/`;

const agent = new Agent({ connections: 64 });
const transport = createTransport({ proxy: false, pool: { connections: 64 } });
const clients = {
  'global fetch': async () => (await fetch(url)).text(),
  'undici fetch + Agent': async () => (await undiciFetch(url, { dispatcher: agent })).text(),
  'undici.request': async () => (await request(url, { dispatcher: agent })).body.text(),
  'transport.fetch': async () => (await transport.fetch(url)).text(),
};

async function measure(fn, concurrency) {
  for (let i = 0; i < 200; i++) await fn(); // warm up
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await fn();
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

console.log(`loopback, ${seconds} s per row, requests per second`);
console.log('client'.padEnd(24), 'sequential'.padStart(10), 'c=32'.padStart(10));
for (const [name, fn] of Object.entries(clients)) {
  const seq = await measure(fn, 1);
  const par = await measure(fn, 32);
  console.log(name.padEnd(24), String(seq).padStart(10), String(par).padStart(10));
}
await transport.close();
await agent.close();
server.kill();
