// The local server every example runs against (these machines have no internet):
// Debian's httpbin when it is installed (the same app as httpbin.org, which the
// tutorial calls), else the project's own test server. tinyproxy too, when
// installed. `paths` hides the few URL differences between the two.
import { startServers } from '@fetchstack/test-server';

export async function startLocal() {
  const servers = await startServers({ thirdParty: true });
  const { info } = servers;
  const httpbin = info.httpbin;
  const base = httpbin ?? info.http;
  const paths = httpbin
    ? {
        setCookie: (name, value) => `cookies/set?${name}=${encodeURIComponent(value)}`,
        cookies: 'cookies',
        basicAuth: (user, pass) => `basic-auth/${user}/${pass}`,
        status: (code) => `status/${code}`,
        delay: (seconds) => `delay/${seconds}`,
        anything: 'anything',
        headers: 'headers',
      }
    : {
        setCookie: (name, value) =>
          `set-cookie?c=${encodeURIComponent(`${name}=${value}; Path=/`)}&to=/cookies`,
        cookies: 'cookies',
        basicAuth: () => 'echo/basic-auth',
        status: (code) => `status/${code}`,
        delay: (seconds) => `slow?ms=${seconds * 1000}`,
        anything: 'echo/anything',
        headers: 'echo/headers',
      };
  return {
    /** `http://127.0.0.1:PORT/`: httpbin's or the test server's, with a trailing slash. */
    base: `${base}/`,
    kind: httpbin ? 'httpbin' : 'fetchstack test server',
    /** The project's test server (flaky routes, socket counts). */
    test: `${info.http}/`,
    /** tinyproxy's URL, when installed. */
    proxy: info.proxy,
    paths,
    info,
    /** Serves a file at `<test>__static/<name>` (the browser example's page and bundle). */
    serveStatic: (name, type, body) => servers.serveStatic(name, type, body),
    close: () => servers.close(),
  };
}

/** Throws when `condition` is false: every example checks what it shows, so CI can tell. */
export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}
