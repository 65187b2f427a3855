// The option checks of retry() and RetryBudget, driven by a table of the options (a `Spec`):
// one check per kind of value, so each option is one entry of its table. Loaded with the
// package: a bad option throws when retry() (or new RetryBudget()) is called, synchronously.
import {
  assertKnownKeys,
  assertNumber,
  assertOptionsObject,
  describeValue,
} from '@fetchstack/core/internal';

/**
 * How each key of an options object is read, in the order messages list them: a number is
 * `[default, unit, integer, min, max]` (finite, `>= min`, `<= max` when given, 0 when left
 * out), a boolean is its own default (the value must be true or false), an object the spec of
 * a group of options read the same way, and a function reads the value itself (`read` passes
 * the key's full name, `where` and the keys read before it, and keeps what it returns).
 */
export interface Spec {
  readonly [key: string]: NumberSpec | boolean | Spec | Reader;
}
type NumberSpec = readonly [
  dflt: number,
  unit?: string,
  integer?: boolean,
  min?: number,
  max?: number,
];
type Reader = (value: any, name: string, where: string, before: Record<string, any>) => unknown;

/** Throws the `TypeError` of a bad option: `where: "name" must be <want>; got <value>.` */
export function fail(where: string, name: string, want: string, got: unknown): never {
  throw new TypeError(`${where}: "${name}" must be ${want}; got ${describeValue(got)}.`);
}

/**
 * An options object (undefined is `{}`) read by `spec`, with the defaults filled in. `where`
 * starts each message (`retry()`), `prefix` each key's name (`fetchstack.retry.` for one
 * call's options), and `self` names the object itself.
 */
export function read(
  value: unknown,
  spec: Spec,
  where: string,
  prefix = '',
  self = where,
): Record<string, any> {
  assertOptionsObject(value, self);
  const given = (value ?? {}) as Record<string, unknown>;
  assertKnownKeys(given, Object.keys(spec), self);
  const out: Record<string, unknown> = {};
  for (const key in spec) {
    const kind = spec[key];
    const name = prefix + key;
    const v = given[key];
    out[key] =
      typeof kind === 'function'
        ? kind(v, name, where, out)
        : typeof kind === 'boolean'
          ? bool(v ?? kind, name, where)
          : Array.isArray(kind)
            ? num(v, kind as NumberSpec, name, where)
            : read(v, kind as Spec, where, `${name}.`, `${where}: "${name}"`);
  }
  return out;
}

/** A number read by its `NumberSpec`. */
export function num(
  v: unknown,
  [dflt, unit, integer, min, max]: NumberSpec,
  name: string,
  where: string,
): number {
  v ??= dflt;
  assertNumber(v, name, where, { unit, integer, min } as Parameters<typeof assertNumber>[3]);
  // (No `max`: a comparison with undefined is false.)
  if ((v as number) > max!) fail(where, name, `at most ${max} ${unit}`, v);
  return v as number;
}

function bool(v: unknown, name: string, where: string): boolean {
  if (typeof v !== 'boolean') fail(where, name, 'true or false', v);
  return v as boolean;
}
