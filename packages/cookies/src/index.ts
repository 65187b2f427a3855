// Server runtimes and workerd: a tough-cookie jar. Browsers get ./browser.ts (package.json `exports`).
export { cookies } from './cookies.js';
export {
  type CookieDeleteOptions,
  CookieJar,
  type CookieSetOptions,
  type JarCookie,
} from './jar.js';
export { type CookiesOptions, isToughJar as isCookieJar } from './options.js';
export { CookieJarUnavailableError, isCookieJarUnavailableError } from './unavailable-error.js';
