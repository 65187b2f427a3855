// Node: undici 7 from npm, through what its index exports: an `Agent` for direct requests,
// a `ProxyAgent` per proxy for https targets (CONNECT tunnels), a `Pool` per proxy for
// plain http targets (forwarded in absolute form, as curl and requests do), each sent with
// `dispatcher.request()` by `send()`, which does what Node's fetch does with a call.
// Never an npm-undici dispatcher handed to Node's built-in fetch (their majors differ).
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { Fetch } from '@fetchstack/core';
import {
  codeOf,
  exposeSignal,
  type Input,
  isRequest,
  readsLazyAbort,
} from '@fetchstack/core/internal';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { ConnectTimeoutError } from '../../errors/connect-timeout-error.js';
import { ProxyError, proxyAuthRequired } from '../../errors/proxy-error.js';
import { networkError } from '../../network-error.js';
import { proxyFor, type Resolved } from '../../options.js';
import { assertUsableTls, type TlsReader } from '../../tls-check.js';
import type { Backend } from '../../transport.js';
import { closeDispatchers } from './exchange.js';
import { trustedCa } from './roots.js';
import { type Hop, type Sender, send } from './send.js';
import { watchFailures } from './stale.js';

// undici's index loads its fetch, WebSocket, EventSource, caches, ... (about half of a cold
// start's import time): it is not imported with this module. A transport starts loading it
// when it is made (a session: at createSession()), so that the first request finds it loaded
// whenever the app did anything else in between, and waits for the rest of the load otherwise.
let loading: Promise<typeof Undici> | undefined;
const loadUndici = (): Promise<typeof Undici> => {
  loading ??= import('undici');
  return loading;
};

/** The proxy refused the CONNECT tunnel with this status. */
class TunnelRefused extends Error {
  readonly code = 'FETCHSTACK_TUNNEL_REFUSED';
  constructor(readonly status: number) {
    super(`the proxy answered the CONNECT with ${status}`);
  }
}

/**
 * The proxy closed the connection during CONNECT. undici treats a closed socket
 * (`UND_ERR_SOCKET`) while connecting as recoverable and would connect again and again
 * (measured: hundreds of CONNECTs a second, the request never settles); an error of
 * another code fails the request instead.
 */
class TunnelClosed extends Error {
  readonly code = 'FETCHSTACK_PROXY_CLOSED';
}

/** Failures that mean the proxy itself could not be reached. */
const unreachable = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
]);

/** The pool that talks to the proxy for CONNECT tunnels: its refusals become TunnelRefused. */
function tunnelClientClass(undici: typeof Undici) {
  return class TunnelClient extends undici.Pool {
    override connect(options: PoolConnectOptions): Promise<Dispatcher.ConnectData>;
    override connect(
      options: PoolConnectOptions,
      callback: (err: Error | null, data: Dispatcher.ConnectData) => void,
    ): void;
    override connect(
      options: PoolConnectOptions,
      callback?: (err: Error | null, data: Dispatcher.ConnectData) => void,
    ): Promise<Dispatcher.ConnectData> | void {
      if (callback) return super.connect(options, callback);
      return super.connect(options).then(
        (data) => {
          if (data.statusCode !== 200) {
            data.socket.on('error', () => {}).destroy();
            throw new TunnelRefused(data.statusCode);
          }
          return data;
        },
        (error: unknown) => {
          if (codeOf(error) === 'UND_ERR_SOCKET') {
            throw new TunnelClosed('the proxy closed the connection during CONNECT', {
              cause: error,
            });
          }
          throw error;
        },
      );
    }
  };
}

type PoolConnectOptions = Parameters<Undici.Pool['connect']>[0];

interface Open {
  sender: Sender;
  dispatchers(): Dispatcher[];
}

const httpScheme = /^\s*https?:/i;

/** The URL of a call as given (not parsed): core's `hrefOf` gives it as the URL parser writes it. */
function textOf(input: Input): string {
  return typeof input === 'string' ? input : isRequest(input) ? input.url : String(input);
}

export const nodeBackend: Backend = {
  open(resolved: Resolved, where: string) {
    const t = resolved.tls;
    if (t) assertUsableTls(t, where, nodeTls());
    const tls = t
      ? {
          ...(t.ca ? { ca: trustedCa(t.ca, t.replaceRoots) } : {}),
          ...(t.cert ? { cert: t.cert, key: t.key } : {}),
          rejectUnauthorized: t.rejectUnauthorized,
        }
      : {};
    const timeout = resolved.connect !== undefined ? { timeout: resolved.connect } : {};
    const pool = resolved.connections !== undefined ? { connections: resolved.connections } : {};
    const routes = resolved.routes;
    // Captured now: schemes other than http(s) (data:, blob:) are the platform fetch's, and
    // `globalThis.fetch = session` later must never make the transport call the session.
    const platformFetch: Fetch = globalThis.fetch.bind(globalThis);

    const build = async (): Promise<Open> => {
      const undici = await loadUndici();
      const connect = { ...sharedContext(tls), ...timeout };
      // The connector undici would make from `connect` (one per pool, as undici makes it),
      // with its sockets watched, so that a reset tells whether its connection was reused.
      const connector = () => watchFailures(undici.buildConnector({ ...connect }));
      const direct = new undici.Agent({
        ...pool,
        connect,
        // undici's own choice of Client or Pool for an origin, over a watched connector.
        factory: (origin, options) => {
          const own = { ...options, connect: connector() };
          return resolved.connections === 1
            ? new undici.Client(origin, own)
            : new undici.Pool(origin, own);
        },
      });
      const directHop: Hop = { dispatcher: direct, proxy: undefined, forward: false };
      const hops = new Map<string, Hop>();
      const TunnelClient = tunnelClientClass(undici);
      const hopFor = (proxy: URL, https: boolean): Hop => {
        const key = `${https ? 'tunnel' : 'forward'} ${proxy.href}`;
        let hop = hops.get(key);
        if (!hop) {
          const dispatcher: Dispatcher = https
            ? new undici.ProxyAgent({
                // The credentials as the forwarded requests send them: a user name alone, or a
                // password alone, too (undici sends them only when both are there).
                uri: withoutCredentials(proxy),
                ...(proxy.username || proxy.password
                  ? { token: authorization(proxy).authorization }
                  : {}),
                ...pool,
                requestTls: connect,
                // The proxy itself: an https:// proxy is checked against the same CA settings.
                proxyTls: connect,
                clientFactory: (origin, options) => new TunnelClient(origin, options),
              })
            : new undici.Pool(proxy.origin, { ...pool, connect: connector() });
          hop = { dispatcher, proxy, forward: !https, ...authorization(proxy) };
          hops.set(key, hop);
        }
        return hop;
      };
      return {
        sender: {
          hop(url) {
            const proxy = proxyFor(routes, url);
            return proxy ? hopFor(proxy, url.protocol === 'https:') : directHop;
          },
          translate(error, hop, input, init) {
            if (error instanceof TunnelRefused && hop.proxy) {
              return new ProxyError(
                error.status,
                hop.proxy,
                input,
                init,
                'It refused the CONNECT tunnel.',
                {
                  cause: error,
                },
              );
            }
            if (error instanceof TunnelClosed && hop.proxy) {
              return new ProxyError(
                0,
                hop.proxy,
                input,
                init,
                'It closed the connection during CONNECT.',
                {
                  cause: error,
                },
              );
            }
            const code = codeOf(error);
            if (code === 'UND_ERR_CONNECT_TIMEOUT') {
              // undici's default connect timeout is 10 s.
              const ms = resolved.connect ?? 10_000;
              return networkError(
                new ConnectTimeoutError(ms, input, init, hop.proxy, { cause: error }),
                input,
                init,
              );
            }
            if (hop.proxy && code !== undefined && unreachable.has(code)) {
              return new ProxyError(0, hop.proxy, input, init, '', {
                cause: error,
                unreachable: code,
              });
            }
            return networkError(error, input, init);
          },
          lengthMismatch: () => new undici.errors.RequestContentLengthMismatchError(),
          invalidHeader: (message) => new undici.errors.InvalidArgumentError(message),
        },
        dispatchers: () => [direct, ...[...hops.values()].map((h) => h.dispatcher)],
      };
    };

    // Started now, in the background; a failure to load is the first request's to report.
    loadUndici().catch(() => {});
    let opening: Promise<Open> | undefined;
    let open: Open | undefined;
    const viaProxy = async (sender: Sender, input: Input, init: RequestInit | undefined) => {
      const response = await send(sender, input, init);
      if (response.status === 407 && routes) {
        const proxy = proxyFor(routes, new URL(response.url));
        if (proxy) await proxyAuthRequired(response, proxy, input, init);
      }
      return response;
    };
    // No async frame of its own: once open, a call is send()'s promise itself.
    const nodeTransport: Fetch = function nodeTransport(input, init) {
      try {
        // Other schemes, and a call with its own undici dispatcher (`init.dispatcher`, which
        // code written for Node's fetch passes): Node's fetch, as without a session. It gets a
        // real signal when a timeout above armed the call without one.
        if (
          !httpScheme.test(textOf(input)) ||
          (init as { dispatcher?: unknown } | undefined)?.dispatcher != null
        ) {
          return platformFetch(input, exposeSignal(input, init));
        }
        if (open)
          return routes ? viaProxy(open.sender, input, init) : send(open.sender, input, init);
        opening ??= build();
        return opening.then((opened) => {
          open = opened;
          return viaProxy(opened.sender, input, init);
        });
      } catch (error) {
        return Promise.reject(error);
      }
    };
    // send() listens to the call's abort as it is (a timeout above need not make an AbortSignal).
    (nodeTransport as { [readsLazyAbort]?: boolean })[readsLazyAbort] = true;
    return {
      fetch: nodeTransport,
      close: async () => {
        if (!opening) return;
        const { dispatchers } = await opening;
        await closeDispatchers(dispatchers());
      },
    };
  },
};

/**
 * The certificates of `tls.ca` (with the default roots they add to: about 150 PEM texts, 300
 * with NODE_EXTRA_CA_CERTS) and `tls.cert`/`key`, parsed once into a secure context shared by
 * every connection. Given as options, Node parses them again for each new connection: 90-230
 * ms of CPU per TLS handshake, measured. Options Node refuses are left as they were, so that
 * each connection fails with Node's own error, as before.
 */
function sharedContext<T extends SecureContextOptions & { rejectUnauthorized?: boolean }>(
  options: T,
): T | { secureContext: ReturnType<typeof createSecureContext>; rejectUnauthorized?: boolean } {
  const { rejectUnauthorized, ...material } = options;
  if (material.ca === undefined && material.cert === undefined) return options;
  try {
    return {
      secureContext: createSecureContext(material),
      ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}),
    };
  } catch {
    return options;
  }
}

const certificates = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Node's parser of TLS material. A secure context cannot serve as the check: it keeps a CA it
 * cannot read out of the store in silence, and takes an RSA certificate with an EC key (the
 * handshake then fails). `node:crypto` is reached only when TLS options are given.
 */
function nodeTls(): TlsReader {
  const crypto = process.getBuiltinModule('node:crypto');
  const each = (pem: string) => {
    for (const block of pem.match(certificates) ?? []) new crypto.X509Certificate(block);
  };
  return {
    runtime: 'Node',
    ca: each,
    cert: each,
    key: (pem) => crypto.createPrivateKey(pem),
    pair(cert, key) {
      if (!new crypto.X509Certificate(cert).checkPrivateKey(crypto.createPrivateKey(key))) {
        throw new Error("the key's public key is not the certificate's");
      }
    },
  };
}

/** The proxy URL without its user name and password. */
function withoutCredentials(proxy: URL): string {
  const bare = new URL(proxy.href);
  bare.username = '';
  bare.password = '';
  return bare.href;
}

/** The proxy's credentials, for requests forwarded to it and for a tunnel's CONNECT. */
function authorization(proxy: URL): { authorization?: string } {
  if (!proxy.username && !proxy.password) return {};
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}
