/**
 * Which origins may receive the credentials: a list of origins
 * (`'https://api.example.com'`) or a predicate called with each request's URL.
 */
export type Origins = readonly string[] | ((url: URL) => boolean);

/** Options every auth layer takes. */
export interface ScopeOptions {
  /**
   * The origins that may receive the credentials: an array of origins
   * (`'https://api.example.com'`, scheme + host + port; a trailing `/` is fine, a longer path is not)
   * or a predicate `(url: URL) => boolean` called for each request.
   *
   * When omitted, every origin the caller asks for directly gets them. Either way, a
   * redirect hop to an origin other than the one the caller asked for never does
   * (credentials never follow a redirect to another origin), even a listed one.
   *
   * @default undefined (the origin the caller asked for, never a redirect's other origin)
   * @example
   * basicAuth('user', 'pass', { origins: ['https://api.example.com'] })
   * bearerAuth(token, { origins: (url) => url.hostname.endsWith('.example.com') })
   */
  origins?: Origins;
}

/**
 * Which origins may have the credentials, as the factory checked them: the origins listed (each
 * as `URL.origin` spells it), the predicate, or `undefined` for every origin the caller asks for.
 */
export type Allowed = readonly string[] | ((url: URL) => unknown) | undefined;
