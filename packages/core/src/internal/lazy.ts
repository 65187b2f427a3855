// Code that loads later: a module behind a dynamic import(), loaded once for the whole process.
// A module of its own, importing nothing, so that every package's up-front code can use it.

/**
 * `load` (an `() => import('./x.js')`) called once: every caller gets the same promise. A
 * failed load is forgotten, so the next caller tries again (a page that lost its network for a
 * moment).
 */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
