/** Assertions for the behaviour suite: a small, portable subset of `node:assert/strict`. */

export class AssertionError extends Error {
  override name = 'AssertionError';
}

function fail(message: string): never {
  throw new AssertionError(message);
}

function show(value: unknown): string {
  try {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}

export function ok(value: unknown, message?: string): asserts value {
  if (!value) fail(message ?? `expected a truthy value, got ${show(value)}`);
}

export function equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T {
  if (!Object.is(actual, expected)) {
    fail(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function notEqual(actual: unknown, expected: unknown, message?: string): void {
  if (Object.is(actual, expected))
    fail(`${message ? `${message}: ` : ''}expected anything but ${show(expected)}`);
}

export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!isDeepEqual(actual, expected)) {
    fail(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(b, k) && isDeepEqual(ra[k], rb[k]));
}

export function match(actual: string, pattern: RegExp, message?: string): void {
  if (typeof actual !== 'string' || !pattern.test(actual)) {
    fail(`${message ? `${message}: ` : ''}expected ${show(actual)} to match ${pattern}`);
  }
}

export function doesNotMatch(actual: string, pattern: RegExp, message?: string): void {
  if (typeof actual === 'string' && pattern.test(actual)) {
    fail(`${message ? `${message}: ` : ''}expected ${show(actual)} not to match ${pattern}`);
  }
}

export type ErrorCheck =
  | ((error: any) => boolean | void)
  | RegExp
  | { name?: string; message?: RegExp | string; [key: string]: unknown };

function checkError(error: unknown, check: ErrorCheck | undefined): void {
  if (check === undefined) return;
  if (check instanceof RegExp) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (!check.test(text)) fail(`error ${show(text)} does not match ${check}`);
    return;
  }
  if (typeof check === 'function') {
    if (check(error) === false) fail(`error ${show(error)} failed the check`);
    return;
  }
  for (const [key, want] of Object.entries(check)) {
    const got = (error as Record<string, unknown> | null | undefined)?.[key];
    if (want instanceof RegExp) {
      if (typeof got !== 'string' || !want.test(got))
        fail(`error.${key} ${show(got)} does not match ${want}`);
    } else if (!Object.is(got, want)) {
      fail(`error.${key}: expected ${show(want)}, got ${show(got)} (error: ${show(error)})`);
    }
  }
}

/** Awaits `promise` (or calls the async `fn`) and checks it rejects as described; returns the error. */
export async function rejects(
  promiseOrFn: Promise<unknown> | (() => unknown),
  check?: ErrorCheck,
  message?: string,
): Promise<any> {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    checkError(error, check);
    return error;
  }
  fail(message ?? 'expected a rejection, but it resolved');
}

/** Calls `fn` and checks it throws synchronously as described; returns the error. */
export function throws(fn: () => unknown, check?: ErrorCheck, message?: string): any {
  try {
    fn();
  } catch (error) {
    checkError(error, check);
    return error;
  }
  fail(message ?? 'expected a throw, but it returned');
}
