// Child processes for the server-only cases (Node, Deno, Bun): a script written to a file beside
// the bundle and run as an ES module in the same runtime, to see what it prints and when it exits.
import { spawn } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { uid } from '@fetchstack/test-kit';

// The bundle runs from packages/behaviour/dist/run-PID/: packages/ is three levels up.
const packages = new URL('../../../', import.meta.url);

/** The built entry of a package (`dist('session')`), for a child script's imports. */
export const dist = (name: string) => new URL(`${name}/dist/index.js`, packages).href;

export interface ChildResult {
  code: number | null;
  /** stdout and stderr, as they came. */
  out: string;
  /** `Date.now()` when the child had exited. */
  exitedAt: number;
  /** True when the deadline passed and the child was killed. */
  killed: boolean;
}

/** Runs `source` as an ES module in this runtime, killed after `deadlineMs`; the file is removed after. */
export function runScript(
  runtime: string,
  source: string,
  deadlineMs: number,
): Promise<ChildResult> {
  const g = globalThis as any;
  const file = fileURLToPath(new URL(`./child-${uid('script')}.mjs`, import.meta.url));
  writeFileSync(file, source);
  const command = g.Deno ? g.Deno.execPath() : g.process.execPath;
  const args = runtime === 'deno' ? ['run', '-A', '--no-lock', file] : [file];
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...g.process?.env, NO_COLOR: '1' },
    });
    let out = '';
    let killed = false;
    child.stdout!.on('data', (d: Uint8Array) => (out += String(d)));
    child.stderr!.on('data', (d: Uint8Array) => (out += String(d)));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('exit', (code: number | null) => {
      clearTimeout(timer);
      try {
        unlinkSync(file);
      } catch {}
      resolve({ code, out, exitedAt: Date.now(), killed });
    });
  });
}
