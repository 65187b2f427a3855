/** One challenge of a `WWW-Authenticate` header: its scheme (lower-cased) and its parameters. */
export interface Challenge {
  scheme: string;
  /** Parameter names lower-cased; values unquoted. The first occurrence of a name wins. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses `WWW-Authenticate` (RFC 9110 §11.6.1), which may hold several challenges,
 * also when a runtime joined several header lines with ", ":
 * `Basic realm="a", Digest realm="b", nonce="n", qop="auth, auth-int"`.
 * Lenient: junk is skipped, never thrown on (the header comes from the network).
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  let current: Challenge | undefined;
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  while (i < n) {
    skipSpace();
    if (i >= n) break;
    if (header[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    const name = header.slice(start, i);
    if (name === '') {
      i++; // a character that starts nothing we know: skip it
      continue;
    }
    skipSpace();
    if (header[i] !== '=') {
      current = { scheme: name.toLowerCase(), params: Object.create(null) };
      out.push(current);
      continue;
    }
    i++; // '='
    skipSpace();
    let value = '';
    if (header[i] === '"') {
      i++;
      while (i < n && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < n) i++;
        value += header[i];
        i++;
      }
      i++; // closing quote
    } else {
      const valueStart = i;
      while (i < n && header[i] !== ',') i++;
      value = header.slice(valueStart, i).trim();
    }
    const key = name.toLowerCase();
    if (current && !(key in current.params)) current.params[key] = value;
  }
  return out;
}
