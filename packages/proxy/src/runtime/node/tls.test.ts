// TLS material Node cannot use is refused when the transport is made, naming the option,
// never quoting a key: not at the first HTTPS request, as a network error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TlsOptions } from '../../types.js';
import { createTransport, proxy } from './index.js';

/** A self-signed certificate and its key, and a key of each kind that is not its. */
function material() {
  const dir = mkdtempSync(join(tmpdir(), 'fetchstack-tls-'));
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-subj',
      '/CN=client',
      '-days',
      '1',
    );
    openssl(
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-out',
      'other.pem',
    );
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.pem');
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    return {
      cert: read('cert.pem'),
      key: read('key.pem'),
      other: read('other.pem'),
      ec: read('ec.pem'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { cert, key, other, ec } = material();
/** The base64 body of a PEM text: what must never show in a message. */
const bodyOf = (pem: string) => pem.split('\n').slice(1, -2).join('');
/** A PEM whose base64 was damaged (as a bad copy and paste does). */
const damaged = (pem: string) => pem.replace(/\n([A-Za-z0-9+/]{20})/, '\n!!!!$1');

test('a certificate and its own key are taken', async () => {
  await createTransport({ proxy: false, tls: { cert, key, ca: cert } }).close();
});

test("tls.key that is not tls.cert's is refused at creation, naming both, quoting neither", () => {
  for (const wrong of [other, ec]) {
    for (const make of [
      () => createTransport({ proxy: false, tls: { cert, key: wrong } }),
      () => proxy('http://127.0.0.1:3128', { tls: { cert, key: wrong } }),
    ]) {
      const error = (() => {
        try {
          make();
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      assert.ok(error instanceof TypeError, 'a TypeError at creation');
      assert.match(error.message, /tls\.key is not the private key of tls\.cert/);
      for (const secret of [bodyOf(wrong), bodyOf(wrong).slice(0, 40)]) {
        assert.ok(!error.message.includes(secret), 'the key is not in the message');
      }
    }
  }
});

test('a tls.ca, tls.cert or tls.key Node cannot read is refused at creation, naming it', () => {
  const refused = (tls: TlsOptions, option: RegExp) =>
    assert.throws(() => createTransport({ proxy: false, tls }), {
      name: 'TypeError',
      message: option,
    });
  // Node's TLS would drop such a CA in silence, and report the server's certificate as self-signed.
  refused(
    { ca: damaged(cert) },
    /^createTransport\(\): tls\.ca is not a certificate Node can read/,
  );
  refused({ ca: [cert, damaged(cert)] }, /tls\.ca\[1\] is not a certificate/);
  refused({ ca: `${cert}\n${damaged(cert)}` }, /tls\.ca is not a certificate/);
  refused({ cert: damaged(cert), key }, /tls\.cert is not a certificate Node can read/);
  refused({ cert, key: damaged(key) }, /tls\.key is not a private key Node can read/);
  refused(
    {
      cert,
      key: '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n',
    },
    /tls\.key is encrypted/,
  );
});
