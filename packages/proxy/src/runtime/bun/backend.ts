// Bun: its own fetch takes `proxy` (credentials in the URL go to the proxy only) and
// `tls: { ca, cert, key, rejectUnauthorized }` per call. Bun keeps one pool per process.
import type { Input } from '@fetchstack/core/internal';
import { ProxyError } from '../../errors/proxy-error.js';
import type { Resolved } from '../../options.js';
import { dialWith } from '../../probe.js';
import { assertUsableTls, type TlsReader } from '../../tls-check.js';
import type { Backend } from '../../transport.js';
import { platformFetch } from '../platform.js';

interface BunLike {
  connect(options: {
    hostname: string;
    port: number;
    socket: Record<string, () => void>;
  }): Promise<{ end(): void }>;
}

/** Bun's Node-compatible `tls` module: the roots it trusts, and its parser of TLS material. */
interface BunTls {
  getCACertificates?: (type: 'default') => readonly string[];
  rootCertificates?: readonly string[];
  createSecureContext?: (options: { ca?: string; cert?: string; key?: string }) => unknown;
}

export const bunBackend: Backend = {
  open(resolved: Resolved, where: string) {
    const t = resolved.tls;
    if (t) assertUsableTls(t, where, bunTls());
    const tls = t
      ? {
          ...(t.ca ? { ca: t.replaceRoots ? t.ca : [...bunRoots(), ...t.ca] } : {}),
          ...(t.cert ? { cert: t.cert, key: t.key } : {}),
          rejectUnauthorized: t.rejectUnauthorized,
        }
      : undefined;
    // Captured at creation: `globalThis.fetch = session` later must never make
    // the transport call the session (and so itself) again.
    const fetch = globalThis.fetch;
    const send = platformFetch(resolved, {
      send(input, init, proxy) {
        // Bun applies HTTP_PROXY/HTTPS_PROXY from the environment by itself; `proxy: false`
        // (measured, Bun 1.4) keeps a request the transport routes direct really direct.
        // A call's own `proxy` and `tls` (Bun's fetch options, which code written for Bun's
        // fetch passes) win over the transport's, as a header set on a call does.
        const own = init as { proxy?: unknown; tls?: object } | undefined;
        const extra: Record<string, unknown> = {
          proxy: own?.proxy ?? (proxy ? proxy.href : false),
        };
        if (tls || own?.tls) extra.tls = { ...tls, ...own?.tls };
        return fetch(input, { ...init, ...extra } as RequestInit);
      },
      dial: dialWith(
        (hostname, port) =>
          (globalThis as { Bun?: BunLike }).Bun!.connect({
            hostname,
            port,
            socket: { data() {}, open() {}, close() {}, error() {}, connectError() {} },
          }),
        (socket) => socket.end(),
      ),
      refusal,
    });
    return { fetch: send, close: async () => {} };
  },
};

/** Bun's `tls` module, reached with `process.getBuiltinModule` (no import: see `bunRoots`). */
function bunTlsModule(): BunTls | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  return get?.('tls') as BunTls | undefined;
}

/**
 * Bun's parser of TLS material: a secure context made from it, which throws for a CA it cannot
 * read, a certificate or key that does not parse, and a key that is not the certificate's.
 */
function bunTls(): TlsReader {
  const context = (options: { ca?: string; cert?: string; key?: string }) =>
    bunTlsModule()?.createSecureContext?.(options);
  return {
    runtime: 'Bun',
    ca: (ca) => context({ ca }),
    cert: (cert) => context({ cert }),
    key: (key) => context({ key }),
    pair: (cert, key) => context({ cert, key }),
  };
}

let roots: readonly string[] | undefined;
/**
 * The roots Bun trusts by default (its bundled roots and NODE_EXTRA_CA_CERTS). Bun's `tls.ca`
 * replaces them (as Node's does; measured, Bun 1.4), so the transport lists them first to ADD
 * a CA. Bun gives them through its Node-compatible `tls` module, reached with
 * `process.getBuiltinModule` (no import: the "default" entry loads this file everywhere).
 */
function bunRoots(): readonly string[] {
  if (roots) return roots;
  const tls = bunTlsModule();
  roots = tls?.getCACertificates?.('default') ?? tls?.rootCertificates ?? [];
  return roots;
}

/** Bun rejects a refused CONNECT with "Proxy refused to open a tunnel: <status>" (Bun 1.4; no code). */
function refusal(
  error: unknown,
  proxy: URL,
  input: Input,
  init: RequestInit | undefined,
): ProxyError | undefined {
  const m = /Proxy refused to open a tunnel: (\d{3})/.exec(
    String((error as Error | null)?.message),
  );
  if (!m) return undefined;
  return new ProxyError(Number(m[1]), proxy, input, init, 'It refused the CONNECT tunnel.', {
    cause: error,
  });
}
