// The `Referer` Node's fetch sends for a call's `referrer` and `referrerPolicy` (the Fetch
// standard's "determine request's referrer", as Node's bundled undici implements it). Node
// 20 and 22 (undici 6) and Node 24 (undici 7) differ, measured on each:
//
// | policy                            | Node 20, 22                       | Node 24                        |
// | --------------------------------- | --------------------------------- | ------------------------------ |
// | '' (default), strict-origin-when- | same origin: the URL; else origin | the same                       |
// |   cross-origin                    |   (none on a downgrade)           |                                |
// | unsafe-url                        | the URL                           | the URL                        |
// | origin                            | the origin                        | the origin                     |
// | same-origin                       | none                              | none                           |
// | origin-when-cross-origin          | the origin                        | the origin                     |
// | strict-origin                     | the origin (none on a downgrade)  | the same                       |
// | no-referrer-when-downgrade        | the origin (none on a downgrade)  | the URL (none on a downgrade)  |
// | no-referrer                       | the origin (none on a downgrade)  | none                           |
//
// (same-origin and origin-when-cross-origin compare the request itself, not its URL, with the
// referrer in both: never the same origin.) A `data:` referrer is sent by Node 20 and 22, not
// by 24. The URL is the referrer without credentials and fragment; past 4096 characters, its
// origin. A "downgrade": a potentially trustworthy referrer (https, loopback) to a URL that is not.

/** Node 20 and 22 bundle undici 6; Node 24 undici 7. */
const legacy = Number(process.versions.undici?.split('.')[0] ?? 7) < 7;

export { legacy as legacyReferrer };

/** The referrer as given to fetch (`init.referrer`, a Request's `referrer`): a URL, or none. */
export function parseReferrer(referrer: string | undefined): URL | undefined {
  if (referrer === undefined || referrer === '' || referrer === 'about:client') return undefined;
  try {
    return new URL(referrer);
  } catch (cause) {
    throw new TypeError(`Referrer "${referrer}" is not a valid URL.`, { cause });
  }
}

/**
 * The referrer sent to `current`, from `source` (the caller's referrer, or what the previous
 * hop sent), `policy` and the call's first URL; `undefined`: none.
 */
export function determineReferrer(
  source: URL,
  policy: string,
  current: URL,
  first: URL,
): URL | undefined {
  let url = strip(source, false);
  const origin = strip(source, true);
  if (url === undefined || origin === undefined) return undefined;
  if (url.href.length > 4096) url = origin;
  const downgrade = (to: URL) => trustworthy(url as URL) && !trustworthy(to);
  switch (policy) {
    case '':
    case 'strict-origin-when-cross-origin':
      if (url.origin === current.origin && url.origin !== 'null') return url;
      return downgrade(current) ? undefined : origin;
    case 'unsafe-url':
      return url;
    case 'origin':
      return origin;
    case 'same-origin':
      return undefined;
    case 'origin-when-cross-origin':
      return origin;
  }
  if (legacy) return downgrade(first) ? undefined : origin;
  switch (policy) {
    case 'strict-origin':
      return downgrade(current) ? undefined : origin;
    case 'no-referrer-when-downgrade':
      return downgrade(current) ? undefined : url;
    default:
      return undefined;
  }
}

/** The referrer without credentials and fragment (and path and query for its origin). */
function strip(source: URL, originOnly: boolean): URL | undefined {
  const p = source.protocol;
  if (legacy ? p === 'file:' || p === 'about:' : p === 'about:' || p === 'blob:' || p === 'data:') {
    return undefined;
  }
  const url = new URL(source.href);
  url.username = '';
  url.password = '';
  url.hash = '';
  if (originOnly) {
    url.pathname = '';
    url.search = '';
  }
  return url;
}

const loopback4 = /^127(?:\.\d{1,3}){3}$/;
const loopback6 = /^\[(?:0{0,4}:){1,7}:?0{0,3}1\]$|^\[::1\]$/;

/** Potentially trustworthy (Secure Contexts): https, wss, loopback, localhost, data:, file:. */
function trustworthy(url: URL): boolean {
  if (url.href === 'about:blank' || url.href === 'about:srcdoc') return true;
  const p = url.protocol;
  if (p === 'data:' || p === 'file:' || p === 'https:' || p === 'wss:') return true;
  const host = url.hostname;
  return (
    loopback4.test(host) ||
    loopback6.test(host) ||
    host === 'localhost' ||
    host === 'localhost.' ||
    host.endsWith('.localhost') ||
    host.endsWith('.localhost.')
  );
}
