// Real third-party servers for tests, started when installed:
// Debian's httpbin (under gunicorn) and tinyproxy (open, and with BasicAuth).
// Each is optional: a case that needs one skips with the reason when it is absent.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${ms} ms`);
}

export function httpbinInstalled() {
  return (
    existsSync(PYTHON) &&
    spawnSync(PYTHON, ['-c', 'import httpbin, gunicorn'], { stdio: 'ignore' }).status === 0
  );
}

export function tinyproxyInstalled() {
  return spawnSync('sh', ['-c', 'command -v tinyproxy'], { stdio: 'ignore' }).status === 0;
}

async function startHttpbin() {
  const port = await freePort();
  const child = spawn(
    PYTHON,
    [
      '-m',
      'gunicorn',
      '-b',
      `127.0.0.1:${port}`,
      '-w',
      '2',
      '--threads',
      '4',
      '--log-level',
      'warning',
      // gunicorn closes idle keep-alive sockets after 2 s, under undici's 4 s: a busy machine
      // then reuses a socket the server is closing ("other side closed"). Outlast the clients.
      '--keep-alive',
      '30',
      'httpbin:app',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}`, child };
}

async function startTinyproxy({ auth, connectPorts, dir, name }) {
  const port = await freePort();
  const logFile = join(dir, `${name}.log`);
  const conf = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Allow 127.0.0.1',
    'Timeout 30',
    'LogLevel Connect',
    `LogFile "${logFile}"`,
    'MaxClients 100',
    'DisableViaHeader No',
    ...connectPorts.map((p) => `ConnectPort ${p}`),
    ...(auth ? [`BasicAuth ${auth.user} ${auth.pass}`] : []),
  ].join('\n');
  const confFile = join(dir, `${name}.conf`);
  writeFileSync(confFile, conf);
  const child = spawn('tinyproxy', ['-d', '-c', confFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPort(port);
  const creds = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
  return { url: `http://${creds}127.0.0.1:${port}`, child, logFile };
}

/**
 * A TCP port that is listening but never accepts: a Python socket with a
 * backlog of 0 whose queue is filled by its own connections, so a new SYN is
 * dropped and a connect hangs (what a connect timeout is for).
 */
async function startBlackhole() {
  const code = [
    'import socket, sys, time',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
    'port = s.getsockname()[1]',
    'fill = []',
    'for _ in range(3):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect(("127.0.0.1", port))',
    '    except BlockingIOError: pass',
    '    fill.append(c)',
    'print(port, flush=True)',
    'time.sleep(100000)',
  ].join('\n');
  const child = spawn(PYTHON, ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}

export async function startThirdParty({ httpsPort, httpPorts = [] }) {
  const children = [];
  const info = {};
  const dir = mkdtempSync(join(tmpdir(), 'fetchstack-3p-'));
  if (httpbinInstalled()) {
    const bin = await startHttpbin();
    children.push(bin.child);
    info.httpbin = bin.url;
  }
  if (tinyproxyInstalled()) {
    const connectPorts = [httpsPort, ...httpPorts];
    const open = await startTinyproxy({ connectPorts, dir, name: 'open' });
    const authed = await startTinyproxy({
      auth: { user: 'user', pass: 'pa55word' },
      connectPorts,
      dir,
      name: 'auth',
    });
    children.push(open.child, authed.child);
    info.proxy = open.url;
    info.proxyAuth = authed.url;
    info.proxyLog = open.logFile;
    info.proxyAuthLog = authed.logFile;
  }
  if (existsSync(PYTHON)) {
    const hole = await startBlackhole();
    children.push(hole.child);
    info.blackhole = hole.url;
  }
  return {
    info,
    async close() {
      await Promise.all(children.map(stop));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
