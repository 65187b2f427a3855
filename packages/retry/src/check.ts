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
 * `[default, unit, integer, min]` (finite, `>= min`, 0 when left out), a boolean is its own
 * default (the value must be true or false), an object the spec of a group of options read
 * the same way, and `null` a key taken as it is (checked apart by the caller).
 */
export interface Spec {
  readonly [key: string]: NumberSpec | boolean | Spec | null;
}
type NumberSpec = readonly [dflt: number, unit?: string, integer?: boolean, min?: number];

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
    let v = given[key];
    if (Array.isArray(kind)) {
      v ??= kind[0];
      assertNumber(v, name, where, { unit: kind[1], integer: kind[2], min: kind[3] } as Parameters<
        typeof assertNumber
      >[3]);
    } else if (typeof kind === 'boolean') {
      v ??= kind;
      if (typeof v !== 'boolean') fail(where, name, 'true or false', v);
    } else if (kind) v = read(v, kind as Spec, where, `${name}.`, `${where}: "${name}"`);
    out[key] = v;
  }
  return out;
}
