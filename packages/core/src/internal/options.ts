// Option checking, shared by every factory so that messages read the same everywhere:
// `where: what is wrong, got <value>. What to change.`

/** Short description of a value for an error message: `a string "x"`, `an object`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    default:
      return 'an object';
  }
}

/** True for `{}`-style objects (not arrays, class instances or `Headers`). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

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

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(word.length / 2)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] =
        a[i - 1] === b[j - 1]
          ? previous
          : 1 + Math.min(previous, row[j] as number, row[j - 1] as number);
      previous = current;
    }
  }
  return row[b.length] as number;
}
