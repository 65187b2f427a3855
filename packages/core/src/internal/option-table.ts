// Option checks described as data: a table per factory says what each option takes, and one
// reader checks an options object against it and fills in the defaults. Apart from options.ts
// so that a bundle splitting its code keeps this with the factories that use it (a page's
// first load), not with the per-call code that only needs describeValue.
import { assertKnownKeys, assertNumber, assertOptionsObject } from './options.js';
import { describeValue } from './values.js';

/**
 * How each key of an options object is checked and read, in the order messages list them, for
 * `readOptions`:
 * - a number is `[default, unit, integer, min, max]`: a finite number `>= min` (0 when left
 *   out) and `<= max` when given; `default` fills a key left out (undefined: stays out);
 * - `true` or `false`: the value must be a boolean, and this is its default;
 * - a nested table: a group of options read the same way (`"backoff.initial"`);
 * - a function reads the value itself: it gets the value, the key's full name, `where` and the
 *   keys read before it, and what it returns is kept (`is()` makes the usual ones).
 */
export interface OptionTable {
  readonly [key: string]: NumberOption | boolean | OptionTable | OptionReader;
}
export type NumberOption = readonly [
  dflt: number | undefined,
  unit?: string,
  integer?: boolean,
  min?: number,
  max?: number,
];
export type OptionReader = (
  value: any,
  name: string,
  where: string,
  before: Record<string, any>,
) => unknown;

/** Throws the `TypeError` of a bad option: `where: "name" must be <want>; got <value>.` */
export function failOption(where: string, name: string, want: string, got: unknown): never {
  throw new TypeError(`${where}: "${name}" must be ${want}; got ${describeValue(got)}.`);
}

/**
 * A reader (for an `OptionTable`) of an option that may be left out and, when given, must pass
 * `test` (`want` says what it must be): `is((v) => typeof v === 'boolean', 'true or false')`.
 */
export function is(test: (value: any) => unknown, want: string): OptionReader {
  return (value, name, where) =>
    value === undefined || test(value) ? value : failOption(where, name, want, value);
}

/** A reader (for an `OptionTable`) of a function option: left out or a function. */
export function aFunction(value: unknown, name: string, where: string): unknown {
  return value === undefined || typeof value === 'function'
    ? value
    : failOption(where, name, 'a function', value);
}

/**
 * An options object (undefined is `{}`) checked and read by `table`, with the defaults filled
 * in. `where` starts each message (`retry()`), `prefix` each key's name (`fetchstack.retry.`
 * for one call's options), and `self` names the object itself; an unknown key is refused with
 * a "did you mean".
 */
export function readOptions(
  value: unknown,
  table: OptionTable,
  where: string,
  prefix = '',
  self = where,
): Record<string, any> {
  assertOptionsObject(value, self);
  const given = (value ?? {}) as Record<string, unknown>;
  assertKnownKeys(given, Object.keys(table), self);
  const out: Record<string, unknown> = {};
  for (const key in table) {
    const kind = table[key];
    const name = prefix + key;
    const v = given[key];
    out[key] =
      typeof kind === 'function'
        ? kind(v, name, where, out)
        : typeof kind === 'boolean'
          ? readBoolean(v ?? kind, name, where)
          : Array.isArray(kind)
            ? readNumber(v, kind as NumberOption, name, where)
            : readOptions(v, kind as OptionTable, where, `${name}.`, `${where}: "${name}"`);
  }
  return out;
}

/** A number read by its `NumberOption`. */
export function readNumber(
  v: unknown,
  [dflt, unit, integer, min, max]: NumberOption,
  name: string,
  where: string,
): number {
  v ??= dflt;
  assertNumber(v, name, where, { unit, integer, min } as Parameters<typeof assertNumber>[3]);
  // (No `max`: a comparison with undefined is false.)
  if ((v as number) > max!) failOption(where, name, `at most ${max} ${unit}`, v);
  return v as number;
}

function readBoolean(v: unknown, name: string, where: string): boolean {
  if (typeof v !== 'boolean') failOption(where, name, 'true or false', v);
  return v as boolean;
}
