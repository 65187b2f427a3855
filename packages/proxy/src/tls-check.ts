// The TLS material checked with the runtime's own parser when the transport is made. A CA that
// does not parse, or a key that does not belong to the certificate, would otherwise show only
// at the first HTTPS request, as a network error; and Node drops a CA it cannot read in
// silence, so the server's certificate is then reported as self-signed.
import type { Resolved } from './options.js';

/** How one runtime reads TLS material: each throws when the runtime could not use it. */
export interface TlsReader {
  /** The runtime's name, for messages. */
  runtime: string;
  /** One `tls.ca` entry (a PEM text, which may hold several certificates). */
  ca(pem: string): void;
  /** `tls.cert` alone, where the runtime can read it alone. */
  cert?(pem: string): void;
  /** `tls.key` alone, where the runtime can read it alone. */
  key?(pem: string): void;
  /** The two together: throws when `key` is not the private key of `cert`. */
  pair(cert: string, key: string): void;
}

/**
 * Throws a `TypeError` naming the option the runtime cannot use, and what to change. Never
 * quotes the material (a key is a secret); the runtime's own error is the `cause`.
 */
export function assertUsableTls(tls: Resolved['tls'], where: string, reader: TlsReader): void {
  if (!tls) return;
  const fail = (message: string, cause?: unknown): never => {
    throw new TypeError(`${where}: ${message}`, cause === undefined ? undefined : { cause });
  };
  const list = tls.ca ?? [];
  list.forEach((pem, i) => {
    try {
      reader.ca(pem);
    } catch (cause) {
      fail(
        `tls.ca${list.length > 1 ? `[${i}]` : ''} is not a certificate ${reader.runtime} can read (its PEM text is damaged or cut short). Pass the CA file's text as it is (readFileSync(path, 'utf8')).`,
        cause,
      );
    }
  });
  const { cert, key } = tls;
  if (cert === undefined || key === undefined) return;
  try {
    reader.cert?.(cert);
  } catch (cause) {
    fail(
      `tls.cert is not a certificate ${reader.runtime} can read (its PEM text is damaged or cut short). Pass the client certificate file's text as it is.`,
      cause,
    );
  }
  if (/ENCRYPTED/.test(key)) {
    fail(
      'tls.key is encrypted with a passphrase, which the transport cannot take. Pass the key unencrypted (openssl pkey -in key.pem -out plain-key.pem).',
    );
  }
  try {
    reader.key?.(key);
  } catch (cause) {
    fail(
      `tls.key is not a private key ${reader.runtime} can read (its PEM text is damaged or cut short). Pass the key file's text as it is.`,
      cause,
    );
  }
  try {
    reader.pair(cert, key);
  } catch (cause) {
    fail(
      reader.key && reader.cert
        ? 'tls.key is not the private key of tls.cert. Pass the key that was issued with this certificate.'
        : `${reader.runtime} cannot use tls.cert with tls.key: tls.key is not the private key of tls.cert, or one of them is damaged. Pass the certificate and the key that was issued with it, each file's text as it is.`,
      cause,
    );
  }
}
