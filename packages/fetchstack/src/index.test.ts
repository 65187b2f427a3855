import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
// @ts-expect-error: a plain .mjs script of the repository, without types.
import { exportsOf, root, sourceOf, workspacePackages } from '../../../scripts/unit/workspace.mjs';

/** The packages the README says `fetchstack` re-exports, all of their exports. */
const packages = ['core', 'headers', 'cookies', 'redirect', 'auth', 'retry', 'timeout', 'proxy']
  .concat(['cache', 'limit', 'session'])
  .map((name) => `@fetchstack/${name}`);

test('fetchstack exports every name, value or type, of the packages it re-exports', () => {
  const paths: Record<string, string[]> = {};
  for (const [name, pkg] of workspacePackages()) {
    if (!('.' in exportsOf(pkg.manifest))) continue;
    const source = sourceOf(pkg, '.', ['types']);
    if (source) paths[name] = [source];
  }
  const file = join(root, 'packages', 'fetchstack', 'src', 'exports-probe.ts');
  const text = [...packages, 'fetchstack'].map((name, i) => `export * as m${i} from '${name}';`);
  const host = ts.createCompilerHost({});
  const read = host.readFile;
  host.readFile = (name) => (name === file ? text.join('\n') : read(name));
  const exists = host.fileExists;
  host.fileExists = (name) => name === file || exists(name);
  const program = ts.createProgram({
    rootNames: [file],
    options: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      noEmit: true,
      skipLibCheck: true,
      noLib: true, // only names are compared: no need for the standard library or @types
      types: [],
      paths,
    },
    host,
  });
  const checker = program.getTypeChecker();
  const names = (specifier: string) => {
    const statement = program
      .getSourceFile(file)
      ?.statements.find(
        (s) =>
          ts.isExportDeclaration(s) && (s.moduleSpecifier as ts.StringLiteral).text === specifier,
      ) as ts.ExportDeclaration;
    const symbol = checker.getSymbolAtLocation(statement.moduleSpecifier as ts.Expression);
    assert.ok(symbol, `${specifier} resolves`);
    return checker.getExportsOfModule(symbol).map((s) => s.name);
  };
  const umbrella = new Set(names('fetchstack'));
  const missing = packages.flatMap((name) =>
    names(name)
      .filter((n) => !umbrella.has(n))
      .map((n) => `${name}: ${n}`),
  );
  assert.deepEqual(missing, []);
});
