// The part of digest auth that runs only once a server has sent a Digest challenge:
// challenge parsing, MD5 and SHA-256, the Authorization value. `digestAuth`'s calls
// (calls.ts) load this module on the first challenge (or when an origin's challenge is
// remembered), so that code which never meets one never loads it.
import type { Fetch } from '@fetchstack/core';
import type { discard, methodOf } from '@fetchstack/core/internal';
import type { AuthError, AuthErrorCode } from './auth-error.js';
import { type Challenge, parseChallenges } from './challenge.js';
import { md5Hex, toHex } from './md5.js';
import type { Call, redirectedTo, withAuthorization } from './request.js';

/**
 * One digest layer: its credentials, the challenge it remembers per origin, and what
 * this module uses from the rest of the packages. Those are passed in, not imported, so
 * that this lazily loaded module shares no module with the per-call code that loads it (a
 * bundler would otherwise split the shared modules into a chunk of their own).
 */
export interface DigestLayer {
  user: string;
  pass: string;
  /** Origin → the last challenge it sent. */
  cache: Map<string, Entry>;
  /** The `AuthError` about `call`. */
  fail(code: AuthErrorCode, message: string, call: Call, response: Response): AuthError;
  discard: typeof discard;
  methodOf: typeof methodOf;
  withAuthorization: typeof withAuthorization;
  redirectedTo: typeof redirectedTo;
}

/** The algorithms this package answers (RFC 7616 §3.3), by their upper-cased names. */
const ALGORITHMS = {
  MD5: { hash: 'MD5', sess: false },
  'MD5-SESS': { hash: 'MD5', sess: true },
  'SHA-256': { hash: 'SHA-256', sess: false },
  'SHA-256-SESS': { hash: 'SHA-256', sess: true },
} as const;
type HashName = 'MD5' | 'SHA-256';

/** A challenge remembered for an origin, so later requests answer without a 401 round trip. */
export interface Entry {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  /** The `algorithm` the server wrote, echoed as it was; undefined when it sent none (= MD5). */
  algorithm: string | undefined;
  hash: HashName;
  sess: boolean;
  /** 'auth', or undefined for a server that offers no qop (RFC 2069). */
  qop: 'auth' | undefined;
  /** Requests answered with this nonce so far (the next `nc` is this + 1). */
  nc: number;
  /** -sess: one client nonce per server nonce, so H(A1) is the same for every request on it. */
  sessCnonce: string;
  sessHa1?: Promise<string>;
}

async function authorization(
  { user, pass, methodOf }: DigestLayer,
  entry: Entry,
  call: Call,
  url: URL,
): Promise<string> {
  entry.nc += 1;
  const nc = entry.nc.toString(16).padStart(8, '0');
  const cnonce = entry.sess ? entry.sessCnonce : randomHex(16);
  const uri = `${url.pathname}${url.search}`;
  const H = (text: string) => hash(entry.hash, text);
  let ha1: string;
  if (entry.sess) {
    entry.sessHa1 ??= H(`${user}:${entry.realm}:${pass}`).then((inner) =>
      H(`${inner}:${entry.nonce}:${entry.sessCnonce}`),
    );
    ha1 = await entry.sessHa1;
  } else {
    ha1 = await H(`${user}:${entry.realm}:${pass}`);
  }
  const ha2 = await H(`${methodOf(call.input, call.init)}:${uri}`);
  const response = entry.qop
    ? await H(`${ha1}:${entry.nonce}:${nc}:${cnonce}:${entry.qop}:${ha2}`)
    : await H(`${ha1}:${entry.nonce}:${ha2}`);

  const parts = [
    userParam(user),
    `realm=${quote(entry.realm)}`,
    `nonce=${quote(entry.nonce)}`,
    `uri=${quote(uri)}`,
  ];
  if (entry.algorithm !== undefined) parts.push(`algorithm=${entry.algorithm}`);
  parts.push(`response=${quote(response)}`);
  if (entry.opaque !== undefined) parts.push(`opaque=${quote(entry.opaque)}`);
  if (entry.qop) parts.push(`qop=${entry.qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}

/**
 * Answers digest challenges for one call: `sent` is the challenge remembered for the
 * call's origin when it was sent (its answer is sent now), else `first` is the 401 the
 * call got without credentials. At most two replays: one to answer a challenge, one
 * more only for stale=true.
 */
export async function answerDigest(
  layer: DigestLayer,
  next: Fetch,
  call: Call,
  url: URL,
  sent: Entry | undefined,
  first: Response | undefined,
): Promise<Response> {
  const { cache, withAuthorization, redirectedTo, discard } = layer;
  const send = async (entry: Entry) => {
    const signed = withAuthorization(call, await authorization(layer, entry, call, url));
    return next(signed.input, signed.init);
  };
  let response = first ?? (await send(sent as Entry));
  for (let round = 0; round < 2 && response.status === 401; round++) {
    // The platform followed a redirect (browsers do): the challenge is for another URL,
    // whose `uri` and origin we did not sign. Hand the 401 back rather than answer it.
    if (redirectedTo(response, url)) return response;
    const challenge = pickChallenge(layer, response, call);
    if (!challenge) return response;
    const stale = challenge.params.stale?.toLowerCase() === 'true';
    if (sent) {
      // We answered and were refused: try again only for a stale or new nonce.
      const fresh = stale || challenge.params.nonce !== sent.nonce;
      if (!fresh || (round === 1 && !stale)) return response;
    }
    const entry = toEntry(layer, challenge, call, response);
    cache.set(url.origin, entry);
    // A stream body past the replay limit went once: the challenge is learnt (the next
    // request answers it at once), this 401 is returned as it is.
    if (call.oneShot) return response;
    discard(response);
    sent = entry;
    response = await send(entry);
  }
  return response;
}

/** The first digest challenge we can answer; an AuthError when there are digest challenges but none we can. */
function pickChallenge(
  { fail }: DigestLayer,
  response: Response,
  call: Call,
): Challenge | undefined {
  const header = response.headers.get('www-authenticate');
  if (!header) return undefined;
  const digests = parseChallenges(header).filter((c) => c.scheme === 'digest');
  if (digests.length === 0) return undefined;
  const supported = digests.find((c) => (c.params.algorithm ?? 'MD5').toUpperCase() in ALGORITHMS);
  if (!supported) {
    const offered = digests.map((c) => c.params.algorithm ?? 'MD5').join(', ');
    throw fail(
      'DIGEST_UNSUPPORTED_ALGORITHM',
      `digestAuth: the server offers digest algorithm ${JSON.stringify(offered.slice(0, 100))}, which is not supported. Supported: MD5, MD5-sess, SHA-256, SHA-256-sess.`,
      call,
      response,
    );
  }
  return supported;
}

function toEntry(
  { fail }: DigestLayer,
  challenge: Challenge,
  call: Call,
  response: Response,
): Entry {
  const { params } = challenge;
  if (params.nonce === undefined || params.realm === undefined) {
    throw fail(
      'DIGEST_BAD_CHALLENGE',
      'digestAuth: the server sent a digest challenge without a nonce or realm; it cannot be answered.',
      call,
      response,
    );
  }
  let qop: 'auth' | undefined;
  if (params.qop !== undefined) {
    const offered = params.qop.split(',').map((q) => q.trim().toLowerCase());
    if (!offered.includes('auth')) {
      throw fail(
        'DIGEST_UNSUPPORTED_QOP',
        `digestAuth: the server offers only qop ${JSON.stringify(params.qop.slice(0, 100))}; only qop=auth is supported (auth-int is not).`,
        call,
        response,
      );
    }
    qop = 'auth';
  }
  const algorithm = params.algorithm;
  const spec = ALGORITHMS[(algorithm ?? 'MD5').toUpperCase() as keyof typeof ALGORITHMS];
  return {
    realm: params.realm,
    nonce: params.nonce,
    opaque: params.opaque,
    algorithm,
    hash: spec.hash,
    sess: spec.sess,
    qop,
    nc: 0,
    sessCnonce: randomHex(16),
  };
}

async function hash(name: HashName, text: string): Promise<string> {
  if (name === 'MD5') return md5Hex(text);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return toHex(new Uint8Array(digest));
}

function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** `username="..."`, or RFC 7616 §3.4.4 `username*=UTF-8''...` when it is not plain ASCII. */
function userParam(user: string): string {
  if (/^[\x20-\x7e]*$/.test(user)) return `username=${quote(user)}`;
  const encoded = encodeURIComponent(user).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `username*=UTF-8''${encoded}`;
}
