// `tls.ca` adds to the roots Node trusts by default; it never replaces them unless asked.
// Node's own `ca` option replaces the whole store, so the defaults are listed first.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

let defaults: readonly string[] | undefined;

/**
 * The certificates Node trusts when no `ca` is given: its bundled roots plus
 * `NODE_EXTRA_CA_CERTS` (and the system store when Node runs with `--use-system-ca`).
 */
export function defaultRoots(): readonly string[] {
  if (defaults) return defaults;
  // Node >= 22.15 / 23.9 says it itself ('default' = what a connection without `ca` trusts).
  const fromNode = (tls as { getCACertificates?: (type?: string) => string[] }).getCACertificates?.(
    'default',
  );
  if (fromNode) {
    defaults = fromNode;
    return defaults;
  }
  const extra: string[] = [];
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (file) {
    try {
      extra.push(...(readFileSync(file, 'utf8').match(pem) ?? []));
    } catch {
      // Node warns about an unreadable file at startup and goes on without it: so do we.
    }
  }
  defaults = [...tls.rootCertificates, ...extra];
  return defaults;
}

/** The `ca` to give Node for `tls.ca` (added to the defaults unless `replaceRoots`). */
export function trustedCa(ca: readonly string[], replaceRoots: boolean): string[] {
  return replaceRoots ? [...ca] : [...defaultRoots(), ...ca];
}
