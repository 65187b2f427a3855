/**
 * Gives a constructed Response the `url` and `redirected` of the one it stands for (the
 * Response constructor cannot set them), on the instance and on its clones.
 */
export function withMeta(res: Response, url: string, redirected: boolean): Response {
  Object.defineProperties(res, {
    url: { value: url, enumerable: true, configurable: true },
    redirected: { value: redirected, enumerable: true, configurable: true },
    clone: {
      configurable: true,
      value: function clone(this: Response) {
        return withMeta(Response.prototype.clone.call(this), url, redirected);
      },
    },
  });
  return res;
}
