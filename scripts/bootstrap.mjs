// Makes a fresh clone runnable with nothing but Node and npm: installs pnpm
// (the version package.json pins) when missing, the workspace's dependencies,
// and builds every package. Idempotent and quick when all is in place.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager; // pnpm@x.y.z
const pnpmVersion = pinned.split('@')[1];

export function sh(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
  return result;
}

function has(command, args = ['--version']) {
  try {
    return execFileSync(command, args, {
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

/** The command that runs pnpm here: a global pnpm of the pinned major, else one npm installs. */
export function pnpm() {
  const version = has('pnpm');
  if (version?.split('.')[0] === pnpmVersion.split('.')[0]) return ['pnpm'];
  log(`installing pnpm@${pnpmVersion} (corepack fails signature checks here; npm works)`);
  const global = spawnSync('npm', ['install', '-g', `pnpm@${pnpmVersion}`], { stdio: 'inherit' });
  if (global.status === 0 && has('pnpm')) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

export function log(message) {
  console.log(`\n▸ ${message}`);
}

export async function bootstrap({ quiet = false } = {}) {
  const [cmd, ...pre] = pnpm();
  if (!quiet) log('installing the workspace (pnpm install --frozen-lockfile)');
  sh(cmd, [
    ...pre,
    'install',
    '--frozen-lockfile',
    '--prefer-offline',
    ...(quiet ? ['--reporter=silent'] : []),
  ]);
  if (!quiet) log('building every package (turbo run build)');
  sh(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only'], {
    env: { TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bootstrap();
