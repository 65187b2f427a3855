// The base URL fetch resolves a relative URL against.

/**
 * The base URL fetch resolves a relative string against: a page's base URL (its `<base>`, else
 * its own URL), a web worker's URL (and Deno's `--location`); `undefined` elsewhere, where fetch
 * refuses a relative URL.
 */
export function fetchBase(): string | undefined {
  const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return g.document?.baseURI ?? g.location?.href;
}
