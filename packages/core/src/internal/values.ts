// Describing a value for a message, and telling a plain object: what option checks use, and
// what the code of a call uses too (its checks of one call's options and of `init`). Apart
// from the checks (options.ts) so that a bundle splitting its code puts only this with the
// code a call loads later, and keeps the checks with the factories, which run up front.

/** Short description of a value for an error message: `a string "x"`, `an object`, `null`. */
export function describeValue(value: unknown): string {
  const type = typeof value;
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : type === 'string'
        ? `the string ${JSON.stringify((value as string).length > 40 ? `${(value as string).slice(0, 40)}…` : value)}`
        : type === 'number' || type === 'boolean' || type === 'bigint'
          ? `${type} ${value}`
          : type === 'function'
            ? 'a function'
            : type === 'undefined'
              ? 'undefined'
              : 'an object';
}

/**
 * `describeValue` for an option that takes a URL: a string that may hold a password or a token
 * (it has an `@`, a query or a fragment) is not shown: messages end up in logs.
 */
export function describeUrlValue(value: unknown): string {
  return typeof value === 'string' && /[@?#]/.test(value)
    ? 'a string (not shown: it may hold a password)'
    : describeValue(value);
}

/** True for `{}`-style objects (not arrays, class instances or `Headers`). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
