// The one way fetchstack re-dresses a Response. The constructor cannot set `url`,
// `redirected` or `type`, which the platform's fetch fills in; a layer that builds a new
// Response (around a watched body stream, say) or learns the final URL (after following
// redirects itself) gives them back here, as own properties that `clone()` keeps.
import { Response } from './runtime.js';

/** Statuses whose response never has a body (the Response constructor refuses one). */
export const nullBodyStatus: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

export interface ResponseMeta {
  /** The final URL (fragment removed, as fetch does). */
  url: string;
  /** True when at least one redirect was followed. */
  redirected: boolean;
  /** `'basic'`, `'cors'`, ...: what the platform's fetch said. */
  type: ResponseType;
}

/**
 * A Response that stands for `source`: the same status, statusText and headers, over
 * `body` (default: `source`'s own stream, not copied), with `source`'s `url`, `redirected`
 * and `type` unless `meta` overrides them. Without a new `body`, `source` itself is
 * re-dressed and returned (no new object): what any layer above sees stays one Response.
 */
export function rewrap(
  source: Response,
  body?: ReadableStream<Uint8Array> | null,
  meta?: Partial<ResponseMeta>,
): Response {
  const url = meta?.url ?? source.url;
  const redirected = meta?.redirected ?? source.redirected;
  const type = meta?.type ?? source.type;
  const target =
    body === undefined
      ? source
      : new Response(nullBodyStatus.has(source.status) ? null : body, {
          status: source.status,
          statusText: source.statusText,
          headers: source.headers,
        });
  return dress(target, { url: url.split('#')[0] as string, redirected, type });
}

function dress(response: Response, meta: ResponseMeta): Response {
  const own = (value: unknown) => ({ value, enumerable: true, configurable: true });
  try {
    Object.defineProperties(response, {
      url: own(meta.url),
      redirected: own(meta.redirected),
      type: own(meta.type),
      clone: {
        configurable: true,
        value: function clone(this: Response): Response {
          return dress(Response.prototype.clone.call(this), meta);
        },
      },
    });
  } catch {
    // A Response that cannot take own properties keeps the platform's values.
  }
  return response;
}
