#!/usr/bin/env node
// What a call through @fetchstack/cache costs the client, beside a bare fetch on loopback:
// client CPU (process.cpuUsage, the server runs in another process) and wall time per call,
// body read included. Needs the packages built. `node scripts/cache-bench.mjs`
import { spawn } from 'node:child_process';
import { cache } from '../packages/cache/dist/index.js';
import { wrap } from '../packages/core/dist/index.js';

const server = `
import { createServer } from 'node:http';
const server = createServer((req, res) => {
  const etag = '"v"';
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'cache-control': 'max-age=0' });
    return res.end();
  }
  const cc = req.url.startsWith('/fresh') ? 'max-age=600' : req.url.startsWith('/stale') ? 'max-age=0' : 'no-store';
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': cc, etag });
  res.end(JSON.stringify({ hello: 'world', n: 1 }));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;
const child = spawn(process.execPath, ['--input-type=module', '-e', server], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise((r) => child.stdout.once('data', (d) => r(String(d).trim())));
const base = `http://127.0.0.1:${port}`;
const f = wrap(fetch, cache());
console.log('| call | client CPU per call | wall per call |\n| --- | --- | --- |');
async function measure(name, fn, n = 3000) {
  for (let i = 0; i < 500; i++) await fn(i);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  const us = (cpu.user + cpu.system) / n;
  console.log(`| ${name} | ${us.toFixed(0)} µs | ${((ms * 1000) / n).toFixed(0)} µs |`);
  return us;
}
const bare = await measure('bare fetch (a request on loopback)', async () => {
  await (await fetch(`${base}/nostore`)).text();
});
await measure('through the cache, a miss (`no-store`)', async () => {
  await (await f(`${base}/nostore`)).text();
});
await measure('through the cache, a revalidated hit (`304`)', async () => {
  await (await f(`${base}/stale`)).text();
});
const hit = await measure('through the cache, a fresh hit', async () => {
  await (await f(`${base}/fresh`)).text();
});
console.log(`fresh hit ${(bare / hit).toFixed(1)}x cheaper in client CPU than a bare fetch`);
child.kill();
