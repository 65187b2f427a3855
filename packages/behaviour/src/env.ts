import type { RuntimeName, TestEnv } from '@fetchstack/test-kit';

/** Reads the env the orchestrator passed to a server runtime (Node, Deno, Bun). */
export function serverEnv(): { env: TestEnv; filter?: string | undefined } {
  const g = globalThis as any;
  const read = (name: string): string | undefined =>
    g.Deno ? g.Deno.env.get(name) : g.process?.env?.[name];
  const raw = read('FETCHSTACK_TEST_ENV');
  if (!raw)
    throw new Error(
      'FETCHSTACK_TEST_ENV is not set: run the suite through packages/behaviour/run.mjs',
    );
  const runtime = (read('FETCHSTACK_RUNTIME') ?? 'node') as RuntimeName;
  const nodeMajor = runtime === 'node' ? Number(g.process.versions.node.split('.')[0]) : undefined;
  return {
    env: { runtime, nodeMajor, server: JSON.parse(raw) },
    filter: read('FETCHSTACK_FILTER') || undefined,
  };
}

export function exit(code: number): never {
  const g = globalThis as any;
  if (g.Deno) g.Deno.exit(code);
  g.process.exit(code);
  throw new Error('unreachable');
}
