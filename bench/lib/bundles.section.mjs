// Section 5 rendered.
import { KB, measureAll } from './bundles.mjs';
import { fmtRatio, ratio, table } from './stats.mjs';
import { budgetLines } from './throughput.mjs';

export async function bundles({ log }) {
  log('bundle sizes (esbuild)');
  const { results, budgets } = await measureAll();
  const ky = results['ky (browser)'];
  const body = Object.values(results).map((r) =>
    r.status
      ? [r.id, r.status, '', '', '', '']
      : [
          r.id,
          (r.gz / KB).toFixed(2),
          r.lazy ? `+ ${(r.lazy.gz / KB).toFixed(2)}` : '',
          (r.min / KB).toFixed(1),
          fmtRatio(ratio(r.gz, ky?.gz)),
          r.packages.join(', '),
        ],
  );
  const markdown = [
    'esbuild 0.28, ESM, bundled, minified, tree-shaken, code splitting on, gzip -9; 1 KB = 1024 bytes. "min+gz" is what a page loads up front; ' +
      '"lazy" is code behind a dynamic `import()` that loads only when used (digest auth, when a Digest challenge arrives), gzipped per chunk. Browser builds use the `browser` condition; ' +
      'workerd builds use `workerd`, `worker`, `browser` (platform neutral). Each fetchstack package is built alone (`export *`, so its ' +
      'errors and guards count); "with ky client" touches `session.client`. "createSession lean" is `@fetchstack/session/lean` (the same session, ' +
      'no `session.client`), "with ky client" adds `withClient()` from `@fetchstack/session/client`. ' +
      'A row marked "a floor" builds alone code that must be there when a wrapper or session is made, from the packages\' own modules: ' +
      "the option checks (a bad option throws then, naming the option and what to change, so they cannot load later) and the proxy package's " +
      'error classes and guards (code shared with a server catches and tests them in a browser too); a bundle that carries them cannot weigh less. Checked in CI by ' +
      '`node bench/check-bundles.mjs` (every budget printed; a budget once met, as recorded in bench/bundle-sizes.json, is a hard limit that fails when crossed; ' +
      'every other bundle fails when it grows over its size there + 2%; tough-cookie in a browser build always fails).',
    '',
    table(['bundle', 'min+gz KB', 'lazy min+gz KB', 'min KB', '÷ ky', 'packages inside'], body),
    '',
    budgetLines(budgets),
  ].join('\n');
  return {
    title: 'Bundle sizes',
    markdown,
    data: {
      rows: Object.fromEntries(
        Object.entries(results).map(([k, v]) => [k, { ...v, inputs: undefined, code: undefined }]),
      ),
      budgets,
    },
  };
}
