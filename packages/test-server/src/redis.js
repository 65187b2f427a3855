// Debian's redis-server on a free loopback port, for the tests, the bench and the
// cross-runtime checks of @fetchstack/redis: started on demand, answering PING before it is
// handed out, killed (as a crash) or stopped (SIGTERM) by whoever started it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

/** Why Redis cannot run here, or `undefined` when it can. */
export const redisMissing = binary
  ? undefined
  : 'redis-server is not installed (apt-get install redis-server)';

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts redis-server (on `port`, or a free one) without persistence, and resolves once it
 * answers PING: `{ url, port, kill(), stop() }`. The server dies with this process.
 */
export async function startRedis(port) {
  if (!binary) throw new Error(redisMissing);
  const p = port ?? (await freePort());
  const child = spawn(
    binary,
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  const deadline = Date.now() + 10_000;
  while (!(await ping(p))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${p}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const ended = () => process.removeListener('exit', stopOnExit);
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
      ended();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      ended();
    },
  };
}
