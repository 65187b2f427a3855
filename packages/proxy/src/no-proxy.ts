/**
 * `NO_PROXY` as curl reads it: entries separated by commas (or spaces), case-insensitive.
 * - `*` alone: every host goes direct;
 * - `example.com` or `.example.com`: that host and every subdomain (a leading dot is dropped,
 *   as curl >= 7.86 does), never `notexample.com`;
 * - `example.com:8080`: only that port;
 * - an IP literal (`10.1.2.3`, `::1`, `[::1]:8080`), or a CIDR block (`10.0.0.0/8`,
 *   `fd00::/8`): matched against the URL's host as written (no DNS lookup), as a whole address
 *   (an IP host is never matched as a suffix: `0.1` does not take in `10.0.0.1`).
 */
export interface NoProxy {
  all: boolean;
  entries: { host: string; port?: string; cidr?: [number, number]; cidr6?: [bigint, number] }[];
}

export function parseNoProxy(value: string | readonly string[] | undefined): NoProxy {
  const out: NoProxy = { all: false, entries: [] };
  if (value === undefined) return out;
  const parts = (typeof value === 'string' ? [value] : value).flatMap((v) => v.split(/[\s,]+/));
  for (const raw of parts) {
    const part = raw.trim().toLowerCase();
    if (!part) continue;
    if (part === '*') {
      out.all = true;
      continue;
    }
    let host = part;
    let port: string | undefined;
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(part);
    if (bracket) {
      host = bracket[1]!;
      port = bracket[2];
    } else if ((part.match(/:/g) ?? []).length === 1) {
      const [h, p] = part.split(':') as [string, string];
      host = h;
      if (/^\d+$/.test(p)) port = p;
    }
    host = host.replace(/^\*?\./, '').replace(/\.$/, '');
    const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(host);
    if (cidr) {
      const base = ipv4ToInt(cidr[1]!);
      const bits = Number(cidr[2]);
      if (base !== undefined && bits <= 32) {
        out.entries.push({ host, cidr: [base, bits], ...(port ? { port } : {}) });
        continue;
      }
    }
    const cidr6 = /^([0-9a-f:.]*:[0-9a-f:.]*)\/(\d{1,3})$/.exec(host);
    if (cidr6) {
      const base = ipv6ToBig(cidr6[1]!);
      const bits = Number(cidr6[2]);
      if (base !== undefined && bits <= 128) {
        out.entries.push({ host, cidr6: [base, bits], ...(port ? { port } : {}) });
        continue;
      }
    }
    out.entries.push(port ? { host, port } : { host });
  }
  return out;
}

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** True when `url` must not go through a proxy. */
export function bypassesProxy(rules: NoProxy, url: URL): boolean {
  if (rules.all) return true;
  if (rules.entries.length === 0) return false;
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = url.port || defaultPorts[url.protocol] || '';
  const asInt = ipv4ToInt(host);
  const as6 = host.includes(':') ? ipv6ToBig(host) : undefined;
  for (const entry of rules.entries) {
    if (entry.port !== undefined && entry.port !== port) continue;
    if (entry.cidr) {
      if (asInt === undefined) continue;
      const [base, bits] = entry.cidr;
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      if ((asInt & mask) >>> 0 === (base & mask) >>> 0) return true;
      continue;
    }
    if (entry.cidr6) {
      if (as6 === undefined) continue;
      const [base, bits] = entry.cidr6;
      const mask = ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
      if ((as6 & mask) === (base & mask)) return true;
      continue;
    }
    if (host === entry.host) return true;
    // An IP host is one address: only the same address (any spelling of it) matches.
    if (asInt !== undefined) continue;
    if (as6 !== undefined) {
      if (ipv6ToBig(entry.host) === as6) return true;
      continue;
    }
    if (host.endsWith(`.${entry.host}`)) return true;
  }
  return false;
}

/** An IPv6 address as a number (any spelling: `::1`, `0:0:0:0:0:0:0:1`), or `undefined`. */
function ipv6ToBig(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  let hostname: string;
  try {
    // URL writes it one way (compressed, an IPv4 tail in hex).
    hostname = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = hostname.split('::');
  const first = head ? head.split(':') : [];
  const last = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? first
      : [...first, ...Array(8 - first.length - last.length).fill('0'), ...last];
  if (groups.length !== 8) return undefined;
  return groups.reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

function ipv4ToInt(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}
