#!/usr/bin/env node
// The release, rehearsed: `pnpm -r publish --dry-run` (packs every published package as
// the real publish would, uploads nothing and needs no registry) must pass, and each
// tarball must hold what users need (package.json, README.md, LICENSE, the built entry
// points and types) and nothing they do not (tests, build info). `changeset status` must
// read the Changesets config and every pending changeset, and `changeset version` (in a scratch
// copy) must write the CHANGELOGs and leave internal ranges that pack to the new versions.
// And what users read must not speak in internal terms (issue numbers and the like).
//   node scripts/release-check.mjs
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const problems = [];
const warnings = [];

function run(command, args) {
  const r = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.status !== 0) {
    problems.push(
      `${command} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`,
    );
  }
  return r.stdout ?? '';
}

const published = readdirSync(join(root, 'packages'))
  .map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')))
  .filter((pkg) => !pkg.private);

// 1. The publish dry run.
const out = run('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks', '--json']);
let summaries = [];
try {
  summaries = JSON.parse(out.slice(out.indexOf('[')));
} catch {
  problems.push(`pnpm -r publish --dry-run --json printed no JSON summary:\n${out.slice(0, 2000)}`);
}
for (const pkg of published) {
  const summary = summaries.find((s) => s.name === pkg.name);
  if (!summary) {
    problems.push(`${pkg.name}: not in the publish dry run`);
    continue;
  }
  const files = new Set(summary.files.map((f) => f.path));
  const entries = [pkg.main, pkg.types].filter(Boolean).map((p) => p.replace(/^\.\//, ''));
  for (const need of ['package.json', 'README.md', 'LICENSE', ...entries]) {
    if (!files.has(need)) problems.push(`${pkg.name}: the tarball has no ${need}`);
  }
  for (const file of files) {
    if (/\.test\.[cm]?[jt]s$|\.tsbuildinfo$|(^|\/)node_modules\//.test(file))
      problems.push(`${pkg.name}: the tarball ships ${file}`);
  }
  // Build output whose source is gone (a file renamed or removed since the last clean
  // build) would ship too: reported, since a release must come from a clean build.
  const dir = join(root, 'packages', pkg.name.replace('@fetchstack/', ''));
  const stale = [...files].filter((file) => {
    const m = /^dist\/(.+)\.js$/.exec(file);
    return (
      m && !['.ts', '.mts', '.js'].some((ext) => existsSync(join(dir, 'src', `${m[1]}${ext}`)))
    );
  });
  if (stale.length) warnings.push(`${pkg.name}: stale build output ${stale.join(', ')}`);
  if (!pkg.repository?.directory || !pkg.license || !pkg.engines?.node)
    problems.push(`${pkg.name}: package.json lacks repository.directory, license or engines.node`);
  if (pkg.name.startsWith('@') && pkg.publishConfig?.access !== 'public')
    problems.push(`${pkg.name}: a scoped package needs publishConfig.access "public"`);
  console.log(
    `ok   ${pkg.name}@${summary.version}: ${files.size} files, ${(summary.size / 1024).toFixed(1)} KB packed`,
  );
}

// 2. Changesets reads its config and every pending changeset.
const plan = join(tmpdir(), `fetchstack-release-plan-${process.pid}.json`);
run(join(root, 'node_modules', '.bin', 'changeset'), ['status', `--output=${plan}`]);
try {
  const { changesets, releases } = JSON.parse(readFileSync(plan, 'utf8'));
  console.log(
    `ok   changeset status: ${changesets.length} pending changesets, next versions ${[...new Set(releases.filter((r) => r.type !== 'none').map((r) => r.newVersion))].join(', ') || 'none'}`,
  );
} catch (error) {
  problems.push(`changeset status wrote no release plan: ${error.message}`);
} finally {
  rmSync(plan, { force: true });
}

// 3. The version step, rehearsed in a scratch copy: `changeset version` writes the versions
// and a CHANGELOG.md per package, and what `pnpm pack` then makes names the new versions of
// the internal dependencies (no `workspace:` left).
const scratch = mkdtempSync(join(tmpdir(), 'fetchstack-release-'));
try {
  const skip = new Set(['node_modules', '.git', '.cache', '.turbo', 'dist']);
  for (const entry of [
    'package.json',
    'pnpm-workspace.yaml',
    '.changeset',
    'packages',
    'examples',
    'bench',
  ]) {
    if (!existsSync(join(root, entry))) continue;
    cpSync(join(root, entry), join(scratch, entry), {
      recursive: true,
      filter: (source) => !skip.has(basename(source)),
    });
  }
  spawnSync('git', ['init', '-q'], { cwd: scratch });
  const versioned = spawnSync(join(root, 'node_modules', '.bin', 'changeset'), ['version'], {
    cwd: scratch,
    encoding: 'utf8',
  });
  if (versioned.status !== 0)
    problems.push(`changeset version failed:\n${versioned.stdout}${versioned.stderr}`);
  const versions = Object.fromEntries(
    published.map((pkg) => {
      const dir = join(scratch, 'packages', pkg.name.replace('@fetchstack/', ''));
      return [
        pkg.name,
        { dir, version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version },
      ];
    }),
  );
  const out = join(scratch, 'tarballs');
  for (const [name, { dir, version }] of Object.entries(versions)) {
    if (!existsSync(join(dir, 'CHANGELOG.md')))
      problems.push(`${name}: changeset version wrote no CHANGELOG.md`);
    const packed = spawnSync('pnpm', ['pack', '--json', '--pack-destination', out], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (packed.status !== 0) {
      problems.push(`${name}: pnpm pack failed after changeset version:\n${packed.stderr}`);
      continue;
    }
    const file = readdirSync(out).find(
      (f) => f.endsWith(`-${version}.tgz`) && f.startsWith(name.replace('@', '').replace('/', '-')),
    );
    const manifest = JSON.parse(
      spawnSync('tar', ['-xzOf', join(out, file), 'package/package.json'], { encoding: 'utf8' })
        .stdout,
    );
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      if (versions[dep] && range !== `^${versions[dep].version}`)
        problems.push(
          `${name}@${version}: ${dep} is "${range}" when packed, not "^${versions[dep].version}"`,
        );
    }
  }
  const next = [...new Set(Object.values(versions).map((v) => v.version))].join(', ');
  console.log(
    `ok   changeset version (scratch copy): ${next}, a CHANGELOG.md each, packed internal ranges ^${next}`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 4. Words users cannot follow: what a user reads (READMEs, docs, examples, the packages'
// sources, whose comments become the published types' docs) names no issue number, no
// "seed", no internal contract file and no path outside the repository.
const vocabulary = /issue [0-9]|\bseed\b|API\.md|\.\.\/shared/i;
const readable = /\.(md|ts|mts|js|mjs|json)$/;
function* walk(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path)) {
    if (['node_modules', 'dist', '.turbo'].includes(entry)) continue;
    yield* walk(join(path, entry));
  }
}
const roots = [
  'README.md',
  'docs',
  'examples',
  ...readdirSync(join(root, 'packages')).flatMap((dir) => [
    join('packages', dir, 'README.md'),
    join('packages', dir, 'src'),
  ]),
];
let wording = 0;
for (const start of roots) {
  for (const file of walk(join(root, start))) {
    if (!readable.test(file)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!vocabulary.test(line)) return;
        wording += 1;
        problems.push(
          `${file.slice(root.length)}:${i + 1}: internal wording: ${line.trim().slice(0, 120)}`,
        );
      });
  }
}
if (wording === 0)
  console.log('ok   no internal wording in READMEs, docs, examples or package sources');

if (warnings.length) {
  console.log(
    `warning: a clean build is needed before publishing (rm -rf packages/*/dist && npx turbo run build --force):\n  ${warnings.join('\n  ')}`,
  );
}
if (problems.length) {
  console.log(`FAIL\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`release check: ${published.length} packages ready to publish`);
