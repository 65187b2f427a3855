// Option checking, shared by every factory so that messages read the same everywhere:
// `where: what is wrong, got <value>. What to change.`
import { describeValue } from './values.js';

/** Throws `TypeError` for a value that is not a plain options object (or undefined). */
export function assertOptionsObject(value: unknown, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(value)}.`);
  }
}

/**
 * Throws `TypeError` naming any key of `options` not in `known`, with the closest
 * known name as a hint (so a typo such as `retires` is caught at creation).
 */
export function assertKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    throw new TypeError(
      `${where}: unknown option "${key}".${hint ? ` Did you mean "${hint}"?` : ''} Known options: ${known.join(', ')}.`,
    );
  }
}

/**
 * The longest wait a timer can hold: the platforms' `setTimeout` fires at once (Node: after
 * 1 ms, with a warning) for more than 2^31-1 ms (about 24.8 days), so an option in ms that may
 * become a wait is refused above it rather than waiting no time at all. (Written out, not as
 * `2 ** 31 - 1`, which bundlers keep in every bundle, used or not.)
 */
export const maxTimerMs = 2_147_483_647;

/**
 * Throws `TypeError` unless `value` is undefined or a finite number `>= min`:
 * `where: "name" must be a number of ms >= 0, got the string "5s".`
 */
export function assertNumber(
  value: unknown,
  name: string,
  where: string,
  { min = 0, integer = false, unit = '' }: { min?: number; integer?: boolean; unit?: string } = {},
): asserts value is number | undefined {
  if (value === undefined) return;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  ) {
    const what = integer ? 'an integer' : 'a number';
    throw new TypeError(
      `${where}: "${name}" must be ${what}${unit ? ` of ${unit}` : ''} >= ${min}, got ${describeValue(value)}.`,
    );
  }
}

/** The known name nearest to `word` (case aside), if it is near enough to be a typo of it. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.ceil(word.length / 2));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [bestDistance, best] = [d, candidate];
  }
  return best;
}

/** Levenshtein distance, one row at a time (`prev` is the row above). */
function editDistance(a: string, b: string): number {
  let prev = [...Array(b.length + 1).keys()];
  for (let i = 0; i < a.length; i++) {
    const row = [i + 1];
    for (let j = 0; j < b.length; j++)
      row[j + 1] = Math.min(prev[j + 1]! + 1, row[j]! + 1, prev[j]! + (a[i] === b[j] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Where a layer's options are being read, for the wording of errors: its factory
 * (`retry(): "limit" must be ...`) or one call's `init.fetchstack.<key>`
 * (`fetch(input, init): "fetchstack.retry.limit" must be ...`; `callSite`, in overrides.ts).
 */
export interface OptionSite {
  /** What the user called. */
  label: string;
  /** Put before each key's name. */
  path: string;
  /** How the options object itself is named. */
  self: string;
}

/** The site of a factory, `name()`. */
export function factorySite(name: string): OptionSite {
  return { label: `${name}()`, path: '', self: `${name}()` };
}
