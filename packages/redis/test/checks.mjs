// The few lines of a check runner the cross-runtime scripts (smoke.mjs, shared.mjs) share:
// plain JavaScript, so that Node, Deno and Bun run it as it is.
const results = [];

/** Runs one named check; prints "ok <name>" or "FAIL <name>: <why>". */
export async function check(name, body) {
  try {
    await body();
    results.push(true);
    console.log(`ok   ${name}`);
  } catch (error) {
    results.push(false);
    console.log(`FAIL ${name}: ${error?.stack ?? error}`);
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Prints "N passed, N failed" (the line runtimes.mjs counts) and exits with its status. */
export function finish() {
  const passed = results.filter(Boolean).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  globalThis.process?.exit?.(passed === results.length ? 0 : 1);
}
