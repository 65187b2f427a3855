// Server-only cases for @fetchstack/proxy (Node, Deno, Bun): the proxy's own log, and
// 'env' read from HTTP_PROXY / NO_PROXY in a child process of the same runtime.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { createTransport, proxy } from '@fetchstack/proxy';
import {
  equal,
  group,
  ok,
  rejects,
  type Seen,
  type TestEnv,
  test,
  uid,
} from '@fetchstack/test-kit';

const echo = async (res: Response): Promise<Seen> => (await res.json()) as Seen;
const g = globalThis as any;
const readEnv = (name: string): string | undefined =>
  g.Deno ? g.Deno.env.get(name) : g.process?.env?.[name];
const childMarker = 'FETCHSTACK_PROXY_CHILD';
const childCase = "proxy › (child process) 'env' reads HTTP_PROXY and NO_PROXY at creation";
const allMarker = 'FETCHSTACK_PROXY_ALL_CHILD';
const allChildCase = "proxy › (child process) 'env' does not read ALL_PROXY";
const caMarker = 'FETCHSTACK_PROXY_CA_CHILD';
const caChildCase =
  'proxy › (child process) tls.ca adds to the roots (NODE_EXTRA_CA_CERTS kept); replaceRoots replaces them';
const needsProxy = ({ server }: TestEnv) =>
  (!server.proxy && 'tinyproxy is not installed (apt-get install tinyproxy)') || undefined;

/** Runs this same bundle again in a child of the same runtime, with `env` added; resolves to its output. */
function runSelf(
  env: Record<string, string>,
  filter: string,
): Promise<{ code: number | null; out: string }> {
  let command: string;
  let args: string[];
  if (g.Deno) {
    command = g.Deno.execPath();
    args = ['run', '-A', '--no-config', '--no-lock', g.Deno.mainModule];
  } else {
    command = g.process.execPath;
    args = [g.process.argv[1]];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...g.process.env, ...env, FETCHSTACK_FILTER: filter, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: unknown) => (out += String(d)));
    child.stderr.on('data', (d: unknown) => (out += String(d)));
    child.on('error', reject);
    child.on('close', (code: number | null) => resolve({ code, out }));
  });
}

group('proxy', () => {
  test(
    'HTTPS through the proxy: the proxy log shows the CONNECT to the origin',
    async ({ server }) => {
      const log = (server as { proxyLog?: string }).proxyLog;
      ok(log, 'the ServerInfo names the proxy log');
      // localhost, a target no other case tunnels to, so the tunnel is new (Bun keeps tunnels in a
      // process-wide pool: one opened by an earlier case would not show up again).
      const origin = server.https.replace('127.0.0.1', 'localhost');
      const port = new URL(origin).port;
      const before = readFileSync(log, 'utf8').split('\n').length;
      await using t = createTransport({ proxy: server.proxy!, tls: { ca: server.ca } });
      equal((await t.fetch(`${origin}/echo`)).status, 200);
      await t.close();
      const lines = readFileSync(log, 'utf8')
        .split('\n')
        .slice(before - 1);
      ok(
        lines.some((l) => l.includes(`CONNECT localhost:${port}`)),
        `a CONNECT to localhost:${port} in the proxy log:\n${lines.join('\n')}`,
      );
    },
    { skip: needsProxy },
  );

  test(
    "'env' in a child process: HTTP_PROXY is used, NO_PROXY bypasses",
    async ({ server }) => {
      const { code, out } = await runSelf(
        {
          [childMarker]: '1',
          HTTP_PROXY: server.proxy!,
          NO_PROXY: 'localhost',
          http_proxy: '',
          no_proxy: '',
        },
        childCase,
      );
      ok(/ ok +proxy › \(child process\)/.test(out), `the child ran the case and passed:\n${out}`);
      ok(/"failed":0/.test(out) && /"passed":1/.test(out), `one case passed, none failed:\n${out}`);
      equal(code, 0);
    },
    { skip: needsProxy, timeout: 45_000 },
  );

  test(
    "'env' in a child process: ALL_PROXY alone is not read, plain http goes direct",
    async ({ server }) => {
      const { code, out } = await runSelf(
        {
          [allMarker]: '1',
          ALL_PROXY: server.proxy!,
          all_proxy: '',
          HTTP_PROXY: '',
          http_proxy: '',
          HTTPS_PROXY: '',
          https_proxy: '',
        },
        allChildCase,
      );
      ok(/"failed":0/.test(out) && /"passed":1/.test(out), `one case passed, none failed:\n${out}`);
      equal(code, 0);
    },
    { skip: needsProxy, timeout: 45_000 },
  );

  test(
    'tls.ca adds to the trusted roots, NODE_EXTRA_CA_CERTS included; replaceRoots: true replaces them',
    async ({ server }) => {
      // The child trusts the test server's CA through NODE_EXTRA_CA_CERTS only.
      const file = join(mkdtempSync(join(tmpdir(), 'fetchstack-ca-')), 'extra.pem');
      writeFileSync(file, server.ca);
      const { code, out } = await runSelf(
        { [caMarker]: '1', NODE_EXTRA_CA_CERTS: file },
        caChildCase,
      );
      ok(/"failed":0/.test(out) && /"passed":1/.test(out), `one case passed, none failed:\n${out}`);
      equal(code, 0);
    },
    {
      skip: (env) =>
        env.runtime === 'deno'
          ? "NODE_EXTRA_CA_CERTS is Node's and Bun's; Deno adds tls.ca (caCerts) to its own roots and cannot replace them (replaceRoots is refused)"
          : undefined,
      timeout: 45_000,
    },
  );

  if (readEnv(caMarker)) {
    test(
      '(child process) tls.ca adds to the roots (NODE_EXTRA_CA_CERTS kept); replaceRoots replaces them',
      async ({ server }) => {
        // A CA that has nothing to do with the test server: one of the platform's own roots.
        const unrelated = tls.rootCertificates[0] as string;
        await using adds = createTransport({ proxy: false, tls: { ca: unrelated } });
        equal(
          (await adds.fetch(`${server.https}/echo`)).status,
          200,
          'still trusted with a CA added',
        );
        await using replaces = createTransport({
          proxy: false,
          tls: { ca: [unrelated], replaceRoots: true },
        });
        const error = await rejects(replaces.fetch(`${server.https}/echo`));
        equal(error.name, 'TypeError', `only the given CA is trusted: ${error.message}`);
      },
      { timeout: 25_000 },
    );
  }

  if (readEnv(allMarker)) {
    test(
      allChildCase.slice('proxy › '.length),
      async ({ server }) => {
        await using t = createTransport(); // the default is 'env'
        const a = await echo(await t.fetch(`${server.http}/echo`));
        equal(a.headers.via, undefined, 'ALL_PROXY alone: direct, as documented');
      },
      { timeout: 25_000 },
    );
  }

  if (readEnv(childMarker)) {
    test(
      "(child process) 'env' reads HTTP_PROXY and NO_PROXY at creation",
      async ({ server }) => {
        await using t = createTransport(); // the default is 'env'
        const a = await echo(await t.fetch(`${server.http}/echo?log=${uid('env')}`));
        ok(/tinyproxy/.test(a.headers.via ?? ''), `HTTP_PROXY was used: Via ${a.headers.via}`);
        const b = await echo(await t.fetch(`${server.httpLocalhost}/echo`));
        equal(b.headers.via, undefined, 'NO_PROXY=localhost went direct');
        const layer = proxy('env');
        const c = await echo(await layer(fetch)(`${server.http}/echo`));
        ok(/tinyproxy/.test(c.headers.via ?? ''), "proxy('env') too");
        await layer.close();
        await using off = createTransport({ proxy: false });
        equal(
          (await echo(await off.fetch(`${server.http}/echo`))).headers.via,
          undefined,
          'proxy: false is direct',
        );
      },
      { timeout: 25_000 },
    );
  }
});
