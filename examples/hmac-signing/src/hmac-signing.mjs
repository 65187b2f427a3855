// Custom auth is any Middleware: (next) => fetch. This one signs each request with
// HMAC-SHA256 over its method, path + query, a timestamp and the SHA-256 of its body,
// with nothing but Web Crypto (so it runs in Node, Deno, Bun, browsers and Workers).
//
//   X-Signature-Date:   2026-11-24T02:15:00.000Z
//   X-Content-SHA256:   <base64 SHA-256 of the body bytes>
//   Authorization:      HMAC-SHA256 keyId="demo", signature="<base64 HMAC of the canonical string>"
//
// The canonical string is the four lines METHOD, path?query, date, body hash.
// `Date` itself is a header browsers do not let scripts set, hence X-Signature-Date.

const encoder = new TextEncoder();

/** The string both sides sign. */
export function canonical({ method, path, date, bodyHash }) {
  return [method.toUpperCase(), path, date, bodyHash].join('\n');
}

export function base64(bytes) {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function sha256Base64(bytes) {
  return base64(await crypto.subtle.digest('SHA-256', bytes));
}

export function importKey(secret) {
  return crypto.subtle.importKey(
    'raw',
    typeof secret === 'string' ? encoder.encode(secret) : secret,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

/**
 * A layer that signs every request.
 *
 * @param {{ keyId: string, secret: string | Uint8Array, now?: () => Date }} options
 * @returns {import('@fetchstack/core').Middleware}
 */
export function hmacSigning({ keyId, secret, now = () => new Date() }) {
  if (typeof keyId !== 'string' || !/^[\w.-]+$/.test(keyId)) {
    throw new TypeError('hmacSigning({ keyId }): keyId must be letters, digits, "_", "." or "-".');
  }
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) {
    throw new TypeError('hmacSigning({ secret }): secret must be a string or a Uint8Array.');
  }
  const key = importKey(secret); // one import per layer, reused by every request

  return (next) =>
    async function hmacSigned(input, init) {
      // A Request gives us the body as bytes exactly as fetch will send them
      // (FormData included, with its boundary in Content-Type), so the hash matches the wire.
      const request = new Request(input, init);
      const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
      const url = new URL(request.url);
      const date = now().toISOString();
      const bodyHash = await sha256Base64(body ?? new Uint8Array());
      const text = canonical({
        method: request.method,
        path: url.pathname + url.search,
        date,
        bodyHash,
      });
      const signature = base64(await crypto.subtle.sign('HMAC', await key, encoder.encode(text)));

      const headers = new Headers(request.headers);
      headers.set('x-signature-date', date);
      headers.set('x-content-sha256', bodyHash);
      headers.set('authorization', `HMAC-SHA256 keyId="${keyId}", signature="${signature}"`);
      // The same call, now with the signed headers and the body as the bytes we hashed.
      return next(request.url, {
        ...init,
        method: request.method,
        headers,
        body,
        signal: request.signal,
      });
    };
}

/**
 * What a server does: recompute and compare (in constant time, via crypto.subtle.verify).
 * `seen` is { method, url (path + query), headers (lower-case names), body (bytes or string) }.
 */
export async function verify(seen, secrets, { maxSkewMs = 5 * 60_000, now = Date.now() } = {}) {
  const match = /^HMAC-SHA256 keyId="([^"]+)", signature="([^"]+)"$/.exec(
    seen.headers.authorization ?? '',
  );
  if (!match) return { ok: false, reason: 'no HMAC-SHA256 Authorization header' };
  const [, keyId, signature] = match;
  const secret = secrets[keyId];
  if (!secret) return { ok: false, reason: `unknown keyId ${keyId}` };
  const date = seen.headers['x-signature-date'];
  if (!date || Math.abs(now - Date.parse(date)) > maxSkewMs)
    return { ok: false, reason: 'date missing or skewed' };
  const body = typeof seen.body === 'string' ? encoder.encode(seen.body) : seen.body;
  const bodyHash = await sha256Base64(body);
  if (bodyHash !== seen.headers['x-content-sha256'])
    return { ok: false, reason: 'body hash mismatch' };
  const text = canonical({ method: seen.method, path: seen.url, date, bodyHash });
  const raw = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
  const ok = await crypto.subtle.verify('HMAC', await importKey(secret), raw, encoder.encode(text));
  return ok ? { ok: true, keyId } : { ok: false, reason: 'bad signature' };
}
