import {
  assertKnownKeys,
  assertOptionsObject,
  describeValue,
  isPlainRecord,
  maxTimerMs,
  redactUrl,
} from '@fetchstack/core/internal';
import { proxyEnv } from './env.js';
import { bypassesProxy, type NoProxy, parseNoProxy } from './no-proxy.js';
import type { ProxyTarget, TlsOptions, TransportOptions } from './types.js';

/** Which proxy each scheme uses, and what goes direct. */
export interface Routes {
  http?: URL;
  https?: URL;
  noProxy: NoProxy;
}

/** Options checked and filled in, once, at creation. */
export interface Resolved {
  /** `undefined`: always direct. */
  routes: Routes | undefined;
  tls:
    | {
        ca?: string[];
        /** Trust only `ca`, not the runtime's roots. */
        replaceRoots: boolean;
        cert?: string;
        key?: string;
        rejectUnauthorized: boolean;
      }
    | undefined;
  connections: number | undefined;
  connect: number | undefined;
}

const supportedSchemes = ['http:', 'https:'];

/** The proxy for `url`, or `undefined` for direct. */
export function proxyFor(routes: Routes | undefined, url: URL): URL | undefined {
  if (!routes) return undefined;
  const proxy =
    url.protocol === 'https:' ? routes.https : url.protocol === 'http:' ? routes.http : undefined;
  if (!proxy || bypassesProxy(routes.noProxy, url)) return undefined;
  return proxy;
}

/** A proxy URL (string or `URL`), checked: http or https, with a host. */
export function parseProxyUrl(value: unknown, option: string, where: string): URL {
  let text: string;
  if (value instanceof URL) text = value.href;
  else if (typeof value === 'string' && value.trim() !== '') text = value.trim();
  else {
    throw new TypeError(
      `${where}: ${option} must be a proxy URL such as "http://proxy.local:3128" (a string or a URL); got ${describeValue(value)}.`,
    );
  }
  // curl and the *_PROXY conventions accept "host:port" without a scheme: http is meant.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  // A proxy URL has no use for a path: an "@" anywhere means user info, kept out of messages
  // up to the last "@" even where "/", "?" or "#" in a password made the URL read otherwise.
  const shown = text.includes('@') ? text.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/is, '$1***@') : '';
  const encode =
    'with any "/", "?", "#" or "@" in the user name or password percent-encoded (encodeURIComponent)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(
      `${where}: ${option} is not a URL: ${JSON.stringify(shown || redactUrl(text))}. Write it as "http://[user:password@]host:port"${shown ? `, ${encode}` : ''}.`,
    );
  }
  if (/@/.test(url.pathname + url.search + url.hash)) {
    throw new TypeError(
      `${where}: ${option} has an "@" after its host (${JSON.stringify(shown)}): write it as "http://user:password@host:port", ${encode}.`,
    );
  }
  if (!supportedSchemes.includes(url.protocol)) {
    throw new TypeError(
      `${where}: ${option} has the scheme "${url.protocol}", which is not supported; supported proxy schemes: http:// and https:// (got ${redactUrl(url)}).`,
    );
  }
  if (!url.hostname) throw new TypeError(`${where}: ${option} has no host: ${redactUrl(url)}.`);
  return url;
}

function resolveRoutes(target: ProxyTarget | false | undefined, where: string): Routes | undefined {
  if (target === false) return undefined;
  if (target === undefined || target === 'env') {
    const env = proxyEnv();
    if (!env.http && !env.https) return undefined;
    return {
      ...(env.http
        ? { http: parseProxyUrl(env.http, 'HTTP_PROXY (from the environment)', where) }
        : {}),
      ...(env.https
        ? { https: parseProxyUrl(env.https, 'HTTPS_PROXY (from the environment)', where) }
        : {}),
      noProxy: parseNoProxy(env.noProxy),
    };
  }
  if (typeof target === 'string' || target instanceof URL) {
    const url = parseProxyUrl(target, 'proxy', where);
    return { http: url, https: url, noProxy: parseNoProxy(undefined) };
  }
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    throw new TypeError(
      `${where}: proxy must be a proxy URL (a string or a URL), { http, https, noProxy }, 'env' or false; got ${describeValue(target)}.`,
    );
  }
  if (!isPlainRecord(target)) {
    throw new TypeError(
      `${where}: proxy must be a proxy URL (a string or a URL), { http, https, noProxy }, 'env' or false; got an instance of ${Object.getPrototypeOf(target)?.constructor?.name ?? 'an unknown class'}.`,
    );
  }
  assertKnownKeys(target, ['http', 'https', 'noProxy'], `${where} proxy`);
  const { noProxy } = target;
  if (
    noProxy !== undefined &&
    typeof noProxy !== 'string' &&
    !(Array.isArray(noProxy) && noProxy.every((e) => typeof e === 'string'))
  ) {
    throw new TypeError(
      `${where}: proxy.noProxy must be a string such as "localhost,.internal" or an array of such strings; got ${describeValue(noProxy)}.`,
    );
  }
  const routes: Routes = { noProxy: parseNoProxy(noProxy) };
  if (target.http !== undefined) routes.http = parseProxyUrl(target.http, 'proxy.http', where);
  if (target.https !== undefined) routes.https = parseProxyUrl(target.https, 'proxy.https', where);
  return routes.http || routes.https ? routes : undefined;
}

const pemCert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const pemKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/;

/**
 * What was given where PEM text was expected, for a message: a file path as it is (the usual
 * mistake), any other text by its length only (it may be a key or a secret pasted in the wrong
 * place, and messages end up in logs).
 */
function describePem(value: unknown): string {
  // readFileSync(path) without 'utf8' (which Node's own tls options take).
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    return `bytes (${value.constructor.name}), not text`;
  }
  if (typeof value !== 'string') return describeValue(value);
  if (/^[\w.~/\\:-]+\.(pem|crt|cer|der|key)$/i.test(value.trim())) {
    return `the file name ${JSON.stringify(value)}`;
  }
  return `a string of ${value.length} characters that is not PEM`;
}

const asText = " Read the file as text (readFileSync(path, 'utf8')).";

function resolveTls(tls: TlsOptions | undefined, where: string): Resolved['tls'] {
  if (tls === undefined) return undefined;
  assertOptionsObject(tls, `${where} tls`);
  assertKnownKeys(tls, ['ca', 'replaceRoots', 'cert', 'key', 'rejectUnauthorized'], `${where} tls`);
  const out: NonNullable<Resolved['tls']> = { rejectUnauthorized: true, replaceRoots: false };
  if (tls.ca !== undefined) {
    const many = Array.isArray(tls.ca);
    const list: readonly unknown[] = many ? (tls.ca as readonly unknown[]) : [tls.ca];
    list.forEach((ca, i) => {
      if (typeof ca !== 'string' || !pemCert.test(ca)) {
        throw new TypeError(
          `${where}: tls.ca${many ? `[${i}]` : ''} must be a PEM certificate ("-----BEGIN CERTIFICATE-----..."); got ${describePem(ca)}.${asText}`,
        );
      }
    });
    out.ca = list as string[];
  }
  if (tls.replaceRoots !== undefined) {
    if (typeof tls.replaceRoots !== 'boolean') {
      throw new TypeError(
        `${where}: tls.replaceRoots must be true or false; got ${describeValue(tls.replaceRoots)}.`,
      );
    }
    // An empty list is no CA: Node would then trust nothing at all (Bun its own roots).
    if (tls.replaceRoots && !out.ca?.length) {
      throw new TypeError(
        `${where}: tls.replaceRoots: true needs tls.ca (the only certificates to trust)${out.ca ? ', and tls.ca is an empty list' : ''}; without it nothing could be verified.`,
      );
    }
    out.replaceRoots = tls.replaceRoots;
  }
  if (tls.cert !== undefined || tls.key !== undefined) {
    if (typeof tls.cert !== 'string' || !pemCert.test(tls.cert)) {
      throw new TypeError(
        `${where}: tls.cert must be a PEM certificate chain (and goes with tls.key); got ${describePem(tls.cert)}.${tls.cert === undefined ? '' : asText}`,
      );
    }
    if (typeof tls.key !== 'string' || !pemKey.test(tls.key)) {
      throw new TypeError(
        `${where}: tls.key must be a PEM private key ("-----BEGIN PRIVATE KEY-----..."), given with tls.cert; got ${tls.key === undefined ? 'nothing.' : `${describePem(tls.key)}.${asText}`}`,
      );
    }
    out.cert = tls.cert;
    out.key = tls.key;
  }
  if (tls.rejectUnauthorized !== undefined) {
    if (typeof tls.rejectUnauthorized !== 'boolean') {
      throw new TypeError(
        `${where}: tls.rejectUnauthorized must be true or false; got ${describeValue(tls.rejectUnauthorized)}.`,
      );
    }
    out.rejectUnauthorized = tls.rejectUnauthorized;
  }
  return out;
}

export function resolveOptions(options: TransportOptions | undefined, where: string): Resolved {
  assertOptionsObject(options, where);
  const o = options ?? {};
  assertKnownKeys(o, ['proxy', 'tls', 'pool', 'connect'], where);
  let connections: number | undefined;
  if (o.pool !== undefined) {
    assertOptionsObject(o.pool, `${where} pool`);
    assertKnownKeys(o.pool, ['connections'], `${where} pool`);
    const c = o.pool.connections;
    if (c !== undefined && (typeof c !== 'number' || !Number.isInteger(c) || c < 1)) {
      throw new TypeError(
        `${where}: pool.connections must be a whole number >= 1; got ${describeValue(c)}.`,
      );
    }
    connections = c;
  }
  const connect = o.connect;
  // Above maxTimerMs a timer fires at once: Deno's and Bun's connect check would give up
  // after 1 ms instead of never.
  if (
    connect !== undefined &&
    (typeof connect !== 'number' ||
      !Number.isFinite(connect) ||
      connect <= 0 ||
      connect > maxTimerMs)
  ) {
    throw new TypeError(
      `${where}: connect (the connect timeout) must be a number of ms > 0, at most ${maxTimerMs} (about 24.8 days); got ${describeValue(connect)}.`,
    );
  }
  return {
    routes: resolveRoutes(o.proxy, where),
    tls: resolveTls(o.tls, where),
    connections,
    connect,
  };
}

/** True when only `proxy` was asked for (no tls, pool or connect). */
export function proxyOnly(r: Resolved): boolean {
  return r.tls === undefined && r.connections === undefined && r.connect === undefined;
}
