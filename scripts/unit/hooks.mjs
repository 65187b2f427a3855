// Module resolution hooks for the unit tests: a workspace package imported by
// name (`@fetchstack/core/internal`) resolves to the TypeScript source of the
// entry Node would pick (`node`, `import`, `default`, in the package's key
// order), so the unit tests need no `dist/` (see workspace.mjs). Anything else,
// or an entry whose source file is missing, goes on to the next resolver.
import { pathToFileURL } from 'node:url';
import { sourceOf, splitSpecifier, workspacePackages } from './workspace.mjs';

const packages = workspacePackages();

export async function resolve(specifier, context, nextResolve) {
  const match = splitSpecifier(packages, specifier);
  const source =
    match && sourceOf(match.pkg, match.subpath, context.conditions ?? ['node', 'import']);
  // tsx resolves the file itself, so that it marks the format it then compiles.
  if (source) return nextResolve(pathToFileURL(source).href, context);
  return nextResolve(specifier, context);
}
