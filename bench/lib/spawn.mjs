import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Starts a bench server (default: the loopback server) in its own process; resolves
 * to { base, stop }. `hello` is sent to it first (e.g. the HTTPS server's key and
 * certificate); it answers with { port }.
 */
export function startServer({ script = 'server.mjs', scheme = 'http', hello } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(`${here}${script}`, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    if (hello !== undefined) child.send(hello);
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
    child.once('message', ({ port }) => {
      child.removeAllListeners('exit');
      resolve({
        base: `${scheme}://127.0.0.1:${port}/`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/**
 * Runs `node <args>` (or `command <args>`) and resolves to its parsed last stdout
 * line (JSON), or rejects with stderr.
 */
export function runJson(args, { timeoutMs = 120_000, env, command = process.execPath } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (code === 0 && last) {
        try {
          resolve(JSON.parse(last));
          return;
        } catch {}
      }
      reject(
        new Error(
          `${command === process.execPath ? 'node' : command} ${args.join(' ')} exited ${signal ?? code}: ${(err || out).trim().split('\n').slice(-3).join(' / ')}`,
        ),
      );
    });
  });
}
