// Loads the fetchstack packages for the benchmark, one at a time, and says which
// are not built yet (no dist/, or a dist/ that does not export the name yet),
// so a row for an unbuilt package prints "not built yet" instead of a number.

const cache = new Map();

/**
 * @param {string} pkg package name, e.g. '@fetchstack/retry'
 * @param {string} name the export the row needs, e.g. 'retry'
 * @returns {Promise<{ ok: true, value: any, mod: any } | { ok: false, reason: string }>}
 */
export async function load(pkg, name) {
  let mod = cache.get(pkg);
  if (mod === undefined) {
    try {
      mod = await import(pkg);
    } catch (error) {
      mod = { __error: error };
    }
    cache.set(pkg, mod);
  }
  if (mod.__error) {
    const code = mod.__error.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      return { ok: false, reason: 'not built yet' };
    }
    return { ok: false, reason: `fails to load: ${firstLine(mod.__error)}` };
  }
  if (typeof mod[name] !== 'function') return { ok: false, reason: 'not built yet' };
  return { ok: true, value: mod[name], mod };
}

/** Loads several `[pkg, name]` pairs; the first failure wins. */
export async function loadAll(pairs) {
  const values = {};
  for (const [pkg, name] of pairs) {
    const got = await load(pkg, name);
    if (!got.ok) return { ok: false, reason: `${pkg}: ${got.reason}` };
    values[name] = got.value;
  }
  return { ok: true, values };
}

function firstLine(error) {
  return String(error?.message ?? error)
    .split('\n')[0]
    .slice(0, 160);
}
