// Server-only cases for @fetchstack/session (Node, Deno, Bun): sockets freed by
// close, the transport settings (proxy, TLS, pool) on the wire.
import { createSession } from '@fetchstack/session';
import {
  equal,
  group,
  ok,
  rejects,
  type Seen,
  seen,
  sleep,
  type TestEnv,
  test,
  throws,
  uid,
} from '@fetchstack/test-kit';

// Captured at load, before any case can replace the global.
const nativeFetch: typeof fetch = globalThis.fetch.bind(globalThis);

const echo = async (res: Response): Promise<Seen> => (await res.json()) as Seen;
const needsProxy = ({ server }: TestEnv) =>
  (!server.proxy && 'tinyproxy is not installed (apt-get install tinyproxy)') || undefined;

async function socketOpen(base: string, key: string): Promise<boolean> {
  const res = await fetch(`${base}/session/socket-state?key=${encodeURIComponent(key)}`, {
    headers: { connection: 'close' },
  });
  return ((await res.json()) as { open: boolean }).open;
}

group('session', () => {
  test(
    'await using: leaving the block closes the sockets the session opened (server-side view)',
    async ({ server }) => {
      let keys: string[] = [];
      {
        await using session = createSession({ pool: { connections: 4 } });
        const answers = await Promise.all(
          Array.from(
            { length: 3 },
            async () =>
              ((await (await session(`${server.http2}/session/track`)).json()) as { key: string })
                .key,
          ),
        );
        keys = [...new Set(answers)];
        ok(keys.length >= 1, 'at least one socket');
        for (const key of keys)
          equal(
            await socketOpen(server.http2, key),
            true,
            `socket ${key} kept alive while the session lives`,
          );
      }
      // The server sees the FIN shortly after close() resolves (a generous bound for a loaded machine).
      const deadline = Date.now() + 10_000;
      let open = keys;
      while (open.length > 0 && Date.now() < deadline) {
        await sleep(50);
        const states = await Promise.all(
          open.map(async (k) => ((await socketOpen(server.http2, k)) ? k : undefined)),
        );
        open = states.filter((k): k is string => k !== undefined);
      }
      equal(open.length, 0, `sockets still open after the block: ${open.join(', ')}`);
    },
    {
      // Bun's fetch keeps one pool for the whole process, shared with the global fetch this
      // case asks the server with, and has no API to close its sockets (proxy README).
      skip: ({ runtime }) =>
        (runtime === 'bun' &&
          "Bun has one process-wide connection pool and no API to close its sockets: close() stops new calls but cannot free Bun's idle sockets") ||
        undefined,
    },
  );

  test(
    'proxy: requests go through the proxy the session names',
    async ({ server }) => {
      await using session = createSession({ proxy: server.proxy! });
      const seenBy = await echo(await session(`${server.http}/echo/via`));
      ok(/tinyproxy/i.test(seenBy.headers.via ?? ''), `Via: ${seenBy.headers.via}`);
    },
    { skip: needsProxy },
  );

  test(
    "a call's own route (Bun's `proxy`, Deno's `client`) is honoured, as the runtime's fetch honours it",
    async ({ runtime, server }) => {
      const deno = (globalThis as { Deno?: { createHttpClient(o: object): Disposable } }).Deno;
      const client = deno?.createHttpClient({ proxy: { url: server.proxy! } });
      const init = (runtime === 'bun'
        ? { proxy: server.proxy! }
        : { client }) as unknown as RequestInit;
      try {
        const native = await echo(await fetch(`${server.http}/echo/native`, init));
        ok(
          /tinyproxy/i.test(native.headers.via ?? ''),
          `the runtime's fetch: Via ${native.headers.via}`,
        );
        // Through the session's transport (the default, proxy from the environment) and under a
        // session that routes direct: the call's route wins, it is not dropped.
        for (const options of [{}, { proxy: false as const, pool: { connections: 4 } }]) {
          await using session = createSession({ retry: false, ...options });
          const seenBy = await echo(await session(`${server.http}/echo/call-route`, init));
          ok(/tinyproxy/i.test(seenBy.headers.via ?? ''), `session: Via ${seenBy.headers.via}`);
          equal((await echo(await session(`${server.http}/echo/direct`))).headers.via, undefined);
        }
      } finally {
        client?.[Symbol.dispose]();
      }
    },
    {
      skip: (env) =>
        needsProxy(env) ??
        ((env.runtime !== 'bun' &&
          env.runtime !== 'deno' &&
          "only Bun's (`proxy`) and Deno's (`client`) fetch take a route in `init`") ||
          undefined),
    },
  );

  test(
    'mount: a prefix with its own proxy; other URLs go direct',
    async ({ server }) => {
      await using session = createSession({ proxy: false });
      session.mount(`${server.http2}/`, { proxy: server.proxy! });
      const proxied = await echo(await session(`${server.http2}/echo/mounted`));
      ok(/tinyproxy/i.test(proxied.headers.via ?? ''), `mounted Via: ${proxied.headers.via}`);
      const direct = await echo(await session(`${server.http}/echo/direct`));
      equal(direct.headers.via, undefined, 'unmounted URL went direct');
    },
    { skip: needsProxy },
  );

  test(
    'proxy: a URL object routes through the proxy exactly as the string does',
    async ({ server }) => {
      await using session = createSession({ proxy: new URL(server.proxy!) });
      const seenBy = await echo(await session(`${server.http}/echo/via-url`));
      ok(/tinyproxy/i.test(seenBy.headers.via ?? ''), `Via: ${seenBy.headers.via}`);
      await using perScheme = createSession({ proxy: { http: server.proxy! } });
      const viaScheme = await echo(await perScheme(`${server.http}/echo/via-scheme`));
      ok(/tinyproxy/i.test(viaScheme.headers.via ?? ''), `Via: ${viaScheme.headers.via}`);
    },
    { skip: needsProxy },
  );

  test(
    'mount: proxy: false sends a prefix direct under a session that uses a proxy',
    async ({ server }) => {
      await using session = createSession({ proxy: server.proxy! });
      session.mount(`${server.http2}/`, { proxy: false });
      const direct = await echo(await session(`${server.http2}/echo/direct`));
      equal(direct.headers.via, undefined, 'the mounted prefix went direct');
      const proxied = await echo(await session(`${server.http}/echo/proxied`));
      ok(/tinyproxy/i.test(proxied.headers.via ?? ''), `Via: ${proxied.headers.via}`);
    },
    { skip: needsProxy },
  );

  test(
    'mount: a redirect hop goes the way its own URL does, into a proxied mount and out of it',
    async ({ server }) => {
      await using session = createSession({ proxy: false, retry: false });
      session.mount(`${server.http2}/`, { proxy: server.proxy! });
      const to = (target: string) => encodeURIComponent(target);
      const into = await echo(
        await session(`${server.http}/redirect?to=${to(`${server.http2}/echo/into`)}`),
      );
      equal(into.url, '/echo/into');
      ok(
        /tinyproxy/i.test(into.headers.via ?? ''),
        `the hop into the mount: Via ${into.headers.via}`,
      );
      const out = await echo(
        await session(`${server.http2}/redirect?to=${to(`${server.http}/echo/out`)}`),
      );
      equal(out.url, '/echo/out');
      equal(out.headers.via, undefined, 'the hop out of the mount went direct');
    },
    { skip: needsProxy },
  );

  test('mount: TLS settings of a mount do not follow a redirect out of it', async ({ server }) => {
    await using session = createSession({ retry: false });
    session.mount(`${server.https}/`, { tls: { ca: server.ca } });
    // The mount's own URLs: its TLS settings apply (the test CA is not trusted otherwise).
    equal((await session(`${server.https}/echo`)).status, 200);
    // A hop to another origin (localhost, same server and certificate) is verified.
    const hop = `${server.https}/redirect?to=${encodeURIComponent(`${server.httpsLocalhost}/echo`)}`;
    const error = await rejects(session(hop));
    ok(
      error instanceof TypeError,
      `a TypeError, as fetch gives for a certificate it does not trust: ${error}`,
    );
    await rejects(session(`${server.httpsLocalhost}/echo`));
  });

  test('bad transport options name createSession(), not an internal function', ({ server }) => {
    throws(() => createSession({ tls: { ca: 'not a pem' } }), {
      name: 'TypeError',
      message: /^createSession\(\): tls\.ca must be a PEM/,
    });
    throws(() => createSession({ pool: { connections: 0 } }), {
      name: 'TypeError',
      message: /^createSession\(\): pool\.connections/,
    });
    throws(() => createSession({ proxy: 'ftp://proxy:21' }), {
      name: 'TypeError',
      message: /^createSession\(\): proxy/,
    });
    const session = createSession({ proxy: false });
    throws(() => session.mount(`${server.http}/`, { timeout: { connect: -1 } }), {
      name: 'TypeError',
      message: /^session\.mount\(.*\): "timeout\.connect"/,
    });
  });

  test("a stream body read before (sent once, partly read, cancelled) is refused with fetch's TypeError, and nothing is sent", async ({
    server,
  }) => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes('abc'));
          controller.enqueue(bytes('def'));
          controller.close();
        },
      });
    await using session = createSession();
    for (const [side, send] of [
      ['fetch', nativeFetch],
      ['session', session],
    ] as const) {
      const id = uid('used-stream');
      const url = `${server.http}/echo?log=${id}`;
      const post = (body: ReadableStream<Uint8Array>) =>
        send(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
      const sent = stream();
      equal(((await (await post(sent)).json()) as Seen).body, 'abcdef', `${side}: the first call`);
      const partly = stream();
      const reader = partly.getReader();
      await reader.read();
      reader.releaseLock();
      const cancelled = stream();
      await cancelled.cancel();
      for (const [what, body] of [
        ['sent before', sent],
        ['partly read', partly],
        ['cancelled', cancelled],
      ] as const) {
        await rejects(post(body), { name: 'TypeError' }, `${side}: a stream ${what} is refused`);
      }
      equal((await seen(server, id)).length, 1, `${side}: only the first call reached the server`);
    }
  });

  test('tls: a session trusts the CA it is given; mTLS presents the client certificate', async ({
    server,
  }) => {
    await using plain = createSession({ proxy: false, retry: false });
    await rejects(plain(`${server.https}/echo`));
    await using trusting = createSession({ tls: { ca: server.ca }, retry: false });
    equal((await trusting(`${server.https}/echo`)).status, 200);
    await using client = createSession({
      tls: { ca: server.ca, cert: server.clientCert, key: server.clientKey },
      retry: false,
    });
    equal((await client(`${server.mtls}/echo`)).status, 200);
  });
});
