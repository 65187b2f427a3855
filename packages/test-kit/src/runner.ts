/**
 * The behaviour suite's runner: the same cases run in Node, Deno, Bun, Chromium
 * and workerd, so it uses nothing but the web platform (no `node:` module).
 *
 * A case file calls `group()` and `test()` at import; a runtime's entry imports
 * every case file, then calls `run(env)`.
 */
import type { RuntimeName, TestEnv } from './env.js';

/** Why a case cannot run in a runtime; `false`/`undefined` means it runs. */
export type SkipRule =
  | Partial<Record<RuntimeName | 'server' | 'edge', string>>
  | ((env: TestEnv) => string | false | undefined);

export interface TestOptions {
  /** Per runtime (`server` = node, deno and bun; `edge` = chromium and workerd), the reason it is skipped. */
  skip?: SkipRule | undefined;
  /** ms; default 10 s. */
  timeout?: number | undefined;
}

export interface Case {
  name: string;
  fn: (env: TestEnv) => unknown;
  options: TestOptions;
}

export interface CaseResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  /** failure message or skip reason */
  detail?: string;
}

const cases: Case[] = [];
const prefix: string[] = [];

/** Groups the cases registered inside `fn` under a name prefix. */
export function group(name: string, fn: () => void): void {
  prefix.push(name);
  try {
    fn();
  } finally {
    prefix.pop();
  }
}

/** Registers a case. */
export function test(name: string, fn: (env: TestEnv) => unknown, options: TestOptions = {}): void {
  cases.push({ name: [...prefix, name].join(' › '), fn, options });
}

function skipReason(rule: SkipRule | undefined, env: TestEnv): string | undefined {
  if (!rule) return undefined;
  if (typeof rule === 'function') return rule(env) || undefined;
  const rt = env.runtime;
  return (
    rule[rt] ??
    (rt === 'node' || rt === 'deno' || rt === 'bun' ? rule.server : rule.edge) ??
    undefined
  );
}

export interface RunOptions {
  /** Only cases whose name includes this string. */
  filter?: string | undefined;
  /** Called after each case (runners print a line). */
  report?: (result: CaseResult) => void;
}

/** Runs every registered case in order; never throws. */
export async function run(env: TestEnv, options: RunOptions = {}): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    if (options.filter && !c.name.includes(options.filter)) continue;
    const started = Date.now();
    let result: CaseResult;
    const reason = skipReason(c.options.skip, env);
    if (reason) {
      result = { name: c.name, status: 'skipped', ms: 0, detail: reason };
    } else {
      try {
        await withDeadline(
          Promise.resolve().then(() => c.fn(env)),
          c.options.timeout ?? 10_000,
        );
        result = { name: c.name, status: 'passed', ms: Date.now() - started };
      } catch (error) {
        result = {
          name: c.name,
          status: 'failed',
          ms: Date.now() - started,
          detail: formatError(error),
        };
      }
    }
    results.push(result);
    options.report?.(result);
  }
  return results;
}

async function withDeadline(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`case timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function formatError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause;
    const causeText = cause
      ? ` (cause: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)})`
      : '';
    const where = error.stack?.split('\n').slice(1, 4).join(' | ').trim();
    return `${error.name}: ${error.message}${causeText}${where ? ` @ ${where}` : ''}`;
  }
  return String(error);
}

/** One line per case, the shape every runner prints. */
export function formatResult(runtimeLabel: string, r: CaseResult): string {
  const mark = r.status === 'passed' ? 'ok  ' : r.status === 'failed' ? 'FAIL' : 'skip';
  return `[${runtimeLabel}] ${mark} ${r.name}${r.detail ? ` — ${r.detail}` : ''}`;
}

export function summarize(results: CaseResult[]): {
  passed: number;
  failed: number;
  skipped: number;
} {
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}
