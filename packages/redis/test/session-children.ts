// Drives test/session-child.ts (a session made with createSession({ store, ... }) in a process
// of its own) from a test: one JSON line per command.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const childFile = fileURLToPath(new URL('./session-child.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Answer {
  statuses: number[];
  errors: string[];
  left: number;
}

/** Every child still running (kill them in `after`). */
export const children = new Set<ChildProcess>();
/** A session in a process of its own (test/session-child.ts), driven line by line. */
export function sessionChild(env: Record<string, string>) {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx/esm', '--import', join(root, 'scripts/unit/register.mjs'), childFile],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const waiting: { resolve: (answer: Answer) => void; reject: (error: Error) => void }[] = [];
  let exited: number | null | undefined;
  proc.once('exit', (code) => {
    exited = code;
    for (const w of waiting.splice(0)) w.reject(new Error(`the child exited (${code})`));
  });
  let out = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      waiting.shift()?.resolve(JSON.parse(line) as Answer);
    }
  });
  const ask = (command: object): Promise<Answer> =>
    new Promise((resolve, reject) => {
      if (exited !== undefined) return reject(new Error(`the child exited (${exited})`));
      waiting.push({ resolve, reject });
      proc.stdin?.write(`${JSON.stringify(command)}\n`);
    });
  return {
    /** `calls` calls of `url` at once in the child's session. */
    call: (url: string, calls = 1): Promise<Answer> => ask({ url, calls }),
    /** How long this process would wait for `origin` now (ms): what it has heard. */
    left: async (origin: string): Promise<number> => (await ask({ cooldown: origin })).left,
    /** Waits until this process has heard of a cool-down of `origin` (pub/sub takes a few ms). */
    async heard(origin: string): Promise<number> {
      for (let i = 0; i < 500; i++) {
        const left = await this.left(origin);
        if (left > 0) return left;
        await sleep(10);
      }
      throw new Error('the process never heard of the cool-down');
    },
    async exit() {
      if (exited !== undefined) return;
      const gone = new Promise((resolve) => proc.once('exit', resolve));
      proc.stdin?.write('exit\n');
      await gone;
    },
  };
}
