// A throwaway CA, made at test time with the system's openssl: a CA
// certificate, a server leaf for 127.0.0.1/localhost/::1 with CA:FALSE (Deno
// refuses a self-signed leaf that is its own CA), a client certificate for
// mutual TLS, and the odd ones the fault matrix needs (expired, wrong host).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function leaf(dir, name, { subject, san, days = 2, ext = 'serverAuth', startInPast = false }) {
  writeFileSync(
    join(dir, `${name}.ext`),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${ext}`,
      ...(san ? [`subjectAltName=${san}`] : []),
    ].join('\n'),
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-subj',
      subject,
      '-out',
      `${name}.csr`,
    ],
    dir,
  );
  const x509 = [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
    '-sha256',
  ];
  if (startInPast) {
    // Valid from 3 days ago to 1 day ago: expired. OpenSSL 3.0's `x509` has no
    // -not_before/-not_after, so this one is signed by `openssl ca`, which takes
    // -startdate/-enddate, with a minimal throwaway CA configuration.
    const fmt = (d) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    const now = Date.now();
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    writeFileSync(
      join(dir, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = throwaway',
        '[throwaway]',
        'database = index.txt',
        'new_certs_dir = .',
        'serial = serial',
        'default_md = sha256',
        'policy = anything',
        'unique_subject = no',
        '[anything]',
        'commonName = supplied',
      ].join('\n'),
    );
    openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        `${name}.csr`,
        '-out',
        `${name}.crt`,
        '-extfile',
        `${name}.ext`,
        '-startdate',
        fmt(new Date(now - 3 * 864e5)),
        '-enddate',
        fmt(new Date(now - 864e5)),
      ],
      dir,
    );
  } else {
    x509.push('-days', String(days));
    openssl(x509, dir);
  }
  return {
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
  };
}

export function makeCerts() {
  const dir = mkdtempSync(join(tmpdir(), 'fetchstack-ca-'));
  try {
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        '2',
        '-subj',
        '/CN=fetchstack throwaway test CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
    const server = leaf(dir, 'server', {
      subject: '/CN=127.0.0.1',
      san: 'IP:127.0.0.1,IP:::1,DNS:localhost',
    });
    const client = leaf(dir, 'client', {
      subject: '/CN=fetchstack test client',
      ext: 'clientAuth',
    });
    const wrongHost = leaf(dir, 'wronghost', {
      subject: '/CN=wrong.example',
      san: 'DNS:wrong.example',
    });
    let expired;
    try {
      expired = leaf(dir, 'expired', {
        subject: '/CN=127.0.0.1',
        san: 'IP:127.0.0.1,DNS:localhost',
        startInPast: true,
      });
    } catch {
      expired = undefined; // an openssl without -not_before: the fault matrix skips that cell
    }
    return { ca, server, client, wrongHost, expired };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
