// Node: undici 7 from npm, with its own `fetch` (never an npm-undici dispatcher handed to
// Node's built-in fetch: their majors differ). Inputs may be Node's global Request,
// FormData, ... (which npm undici does not recognise), and the Response handed back is
// a real global Response, so code that checks `instanceof Response` keeps working.
import type { Fetch } from '@fetchstack/core';
import { isRequest, urlOf } from '@fetchstack/core/internal';
import type * as UndiciModule from 'undici';
import type { FormData as UndiciFormData, Request as UndiciRequest } from 'undici';
// Only what the lean path needs is loaded with this module: undici's index also loads its
// fetch, WebSocket, EventSource, cache, ... (measured: about half of a cold start's import
// time). The index comes with the first call that needs it (a proxy route, or the fetch path).
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import { ConnectTimeoutError } from './errors/connect-timeout-error.js';
import { ProxyError } from './errors/proxy-error.js';
import { leanCall, leanFetch } from './lean-node.js';
import { proxyFor, type Resolved } from './options.js';
import { withMeta } from './response.js';
import type { Backend } from './transport.js';

type UndiciInit = NonNullable<Parameters<typeof UndiciModule.fetch>[1]>;

let undiciIndex: typeof UndiciModule | undefined;
/** undici's index (its fetch, ProxyAgent, Pool, FormData, Request), loaded once, on first need. */
async function fullUndici(): Promise<typeof UndiciModule> {
  undiciIndex ??= await import('undici');
  return undiciIndex;
}

/** Sends each request (and each redirect hop undici follows) to the agent for its origin. */
class Router extends Dispatcher {
  readonly #pick: (origin: URL) => Dispatcher;
  readonly #all: () => Dispatcher[];
  constructor(pick: (origin: URL) => Dispatcher, all: () => Dispatcher[]) {
    super();
    this.#pick = pick;
    this.#all = all;
  }
  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    const origin = options.origin;
    const url = origin instanceof URL ? origin : new URL(String(origin));
    return this.#pick(url).dispatch(options, handler);
  }
  override close(): any {
    return Promise.all(this.#all().map((d) => d.close())).then(() => {});
  }
  override destroy(): any {
    return Promise.all(this.#all().map((d) => d.destroy())).then(() => {});
  }
}

export const nodeBackend: Backend = {
  open(resolved: Resolved) {
    const tls = resolved.tls
      ? {
          ...(resolved.tls.ca ? { ca: resolved.tls.ca } : {}),
          ...(resolved.tls.cert ? { cert: resolved.tls.cert, key: resolved.tls.key } : {}),
          rejectUnauthorized: resolved.tls.rejectUnauthorized,
        }
      : {};
    const timeout = resolved.connect !== undefined ? { timeout: resolved.connect } : {};
    const pool = resolved.connections !== undefined ? { connections: resolved.connections } : {};
    const direct = new Agent({ ...pool, connect: { ...tls, ...timeout } });
    const proxies = new Map<string, UndiciModule.ProxyAgent>();
    const agentFor = (proxyUrl: URL): UndiciModule.ProxyAgent => {
      let agent = proxies.get(proxyUrl.href);
      if (!agent) {
        // `send` loaded the index before any call that can reach a proxy route.
        agent = new undiciIndex!.ProxyAgent({
          uri: proxyUrl.href,
          // Plain http is forwarded to the proxy (absolute-form), as curl and requests do;
          // https is tunnelled with CONNECT.
          proxyTunnel: false,
          ...pool,
          requestTls: { ...tls, ...timeout },
          // The proxy itself: an https:// proxy is checked against the same CA settings.
          proxyTls: { ...tls, ...timeout },
          clientFactory: tunnelClient,
        });
        proxies.set(proxyUrl.href, agent);
      }
      return agent;
    };
    const routes = resolved.routes;
    const pick = (origin: URL): Dispatcher => {
      const p = proxyFor(routes, origin);
      return p ? agentFor(p) : direct;
    };
    const dispatcher = routes ? new Router(pick, () => [direct, ...proxies.values()]) : direct;

    const send: Fetch = async function nodeTransport(input, init) {
      if (routes && !undiciIndex) await fullUndici();
      const lean = leanCall(input, init);
      if (lean) {
        let res: Response;
        try {
          res = await leanFetch(dispatcher, lean);
        } catch (error) {
          throw translate(
            error,
            input,
            init,
            routes ? proxyFor(routes, lean.url) : undefined,
            resolved.connect,
          );
        }
        if (res.status === 407 && routes) {
          const p = proxyFor(routes, new URL(res.url));
          if (p) {
            const why = res.headers.get('proxy-authenticate');
            await res.body?.cancel().catch(() => {});
            throw new ProxyError(407, p, input, init, why ? `It asked for: ${why}.` : '');
          }
        }
        return res;
      }
      const undici = await fullUndici();
      const [target, undiciInit] = toUndici(undici, input, init);
      undiciInit.dispatcher = dispatcher;
      let res: Awaited<ReturnType<typeof UndiciModule.fetch>>;
      try {
        res = await undici.fetch(target, undiciInit);
      } catch (error) {
        throw translate(
          error,
          input,
          init,
          routes ? proxyFor(routes, urlOf(input)) : undefined,
          resolved.connect,
        );
      }
      if (res.status === 407 && routes) {
        const p = proxyFor(routes, new URL(res.url || urlOf(input).href));
        if (p) {
          const why = res.headers.get('proxy-authenticate');
          await res.body?.cancel().catch(() => {});
          throw new ProxyError(407, p, input, init, why ? `It asked for: ${why}.` : '');
        }
      }
      return toGlobalResponse(res);
    };
    return {
      fetch: send,
      close: async () => {
        await dispatcher.close();
      },
    };
  },
};

/**
 * The client that talks to the proxy. undici treats a proxy that closes the connection during
 * CONNECT as a recoverable socket error and reconnects forever (measured: hundreds of CONNECTs
 * a second, the request never settles); a distinct code makes it fail the request instead.
 */
function tunnelClient(origin: URL, options: object): Dispatcher {
  const pool = new undiciIndex!.Pool(origin, options);
  const connect = pool.connect.bind(pool) as (params: any) => Promise<any>;
  (pool as any).connect = (params: any) =>
    connect(params).catch((error: any) => {
      if (error?.code !== 'UND_ERR_SOCKET') throw error;
      throw Object.assign(
        new Error(`the proxy closed the connection during CONNECT (${error.message})`, {
          cause: error,
        }),
        {
          code: 'FETCHSTACK_PROXY_CLOSED',
        },
      );
    });
  return pool;
}

/** Maps undici's failures to what a caller can act on; everything else is passed on as is. */
function translate(
  error: unknown,
  input: string | URL | Request,
  init: RequestInit | undefined,
  proxy: URL | undefined,
  connectMs: number | undefined,
): unknown {
  const causes: any[] = [];
  for (let e: any = (error as any)?.cause; e && causes.length < 4; e = e.cause) causes.push(e);
  const timedOut = causes.find((c) => c?.code === 'UND_ERR_CONNECT_TIMEOUT');
  if (timedOut) {
    // Keep the shape of Node's fetch (TypeError 'fetch failed' with a cause), so retry layers
    // and clients still see a network error; the cause says what happened.
    return new TypeError('fetch failed', {
      cause: new ConnectTimeoutError(connectMs ?? 10_000, input, init, proxy, { cause: timedOut }),
    });
  }
  if (proxy) {
    for (const c of causes) {
      const text = String(c?.message);
      const tunnel = /Proxy response \((\d+)\) !== 200/.exec(text);
      if (tunnel)
        return new ProxyError(
          Number(tunnel[1]),
          proxy,
          input,
          init,
          'It refused the CONNECT tunnel.',
          { cause: error },
        );
      // undici's forwarding (plain http) turns a 407 from the proxy into this error.
      const forwarded = /Proxy Authentication Required \((\d+)\)/.exec(text);
      if (forwarded)
        return new ProxyError(Number(forwarded[1]), proxy, input, init, '', { cause: error });
    }
  }
  return error;
}

/** npm undici's fetch only knows its own Request and FormData classes: hand it plain values. */
function toUndici(
  undici: typeof UndiciModule,
  input: string | URL | Request,
  init: RequestInit | undefined,
): [string | URL | UndiciRequest, UndiciInit] {
  let target: string | URL | UndiciRequest;
  let merged: any;
  if (typeof input === 'string' || input instanceof URL || input instanceof undici.Request) {
    target = input;
    merged = init ? { ...init } : {};
  } else if (isRequest(input)) {
    target = input.url;
    const fromRequest: any = {
      method: input.method,
      headers: input.headers,
      signal: input.signal,
      redirect: input.redirect,
    };
    if (input.body !== null) {
      fromRequest.body = input.body;
      fromRequest.duplex = 'half';
    }
    if (input.integrity) fromRequest.integrity = input.integrity;
    if (input.keepalive) fromRequest.keepalive = input.keepalive;
    merged = { ...fromRequest };
    if (init)
      for (const [key, value] of Object.entries(init)) if (value !== undefined) merged[key] = value;
  } else {
    target = String(input);
    merged = init ? { ...init } : {};
  }
  const body = merged.body;
  if (body != null && typeof body === 'object') {
    if (isGlobalFormData(undici, body)) merged.body = toUndiciFormData(undici, body);
    else if (isStream(body) && merged.duplex === undefined) merged.duplex = 'half';
  }
  return [target, merged];
}

function isGlobalFormData(undici: typeof UndiciModule, value: object): value is FormData {
  return (
    typeof FormData !== 'undefined' &&
    value instanceof FormData &&
    !(value instanceof undici.FormData)
  );
}

function isStream(value: object): boolean {
  return typeof (value as ReadableStream).getReader === 'function';
}

function toUndiciFormData(undici: typeof UndiciModule, form: FormData): UndiciFormData {
  const out = new undici.FormData();
  for (const [name, value] of form) {
    if (typeof value === 'string') out.append(name, value);
    else out.append(name, value as Blob, (value as File).name);
  }
  return out;
}

/**
 * undici frees the socket ('drain') only after the caller's read of the last chunk has run
 * its promise callbacks, so a request sent right after `await res.text()` would find the
 * socket busy and open a second one (Node's own fetch does the same: sequential requests
 * alternate between two sockets). Ending the body one macrotask later lets the drain happen
 * first, so sequential requests keep one keep-alive socket.
 */
const afterIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const nullBodyStatus = new Set([101, 103, 204, 205, 304]);

/**
 * A global Response over undici's: the same status, headers (Set-Cookie kept apart) and the
 * same body stream (no copy, no buffering); `url` and `redirected`, which the constructor
 * cannot set, are defined on the instance.
 */
function toGlobalResponse(res: Awaited<ReturnType<typeof UndiciModule.fetch>>): Response {
  const raw = nullBodyStatus.has(res.status)
    ? null
    : (res.body as ReadableStream<Uint8Array> | null);
  const body = raw ? raw.pipeThrough(new TransformStream({ flush: afterIo })) : null;
  const out = new Response(body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers as unknown as HeadersInit,
  });
  return withMeta(out, res.url, res.redirected);
}
