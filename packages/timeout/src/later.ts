/**
 * A module loaded on first need: `get()` is it once loaded (else `undefined`); `load()` starts
 * loading it (once; again after a failed load) and resolves to it.
 */
export function later<T>(importer: () => Promise<T>): {
  get: () => T | undefined;
  load: () => Promise<T>;
} {
  let value: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    get: () => value,
    load: () =>
      (loading ??= importer().then(
        (m) => (value = m),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )),
  };
}
