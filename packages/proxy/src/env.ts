import { runtime } from '@fetchstack/core/internal';

/** One environment variable, or undefined. Browsers and Workers have none. */
function readVar(name: string): string | undefined {
  const g = globalThis as {
    Deno?: { env: { get(name: string): string | undefined } };
    process?: { env?: Record<string, string | undefined> };
  };
  try {
    // Deno: needs --allow-env; without it there is nothing to read, which is not an error here.
    if (runtime === 'deno') return g.Deno?.env.get(name) || undefined;
    if (runtime === 'node' || runtime === 'bun') return g.process?.env?.[name] || undefined;
  } catch {
    return undefined;
  }
  return undefined;
}

/** The lower-case name wins when both are set (as curl, requests and undici do). */
function either(name: string): string | undefined {
  return readVar(name.toLowerCase()) ?? readVar(name.toUpperCase());
}

/** `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` (either case), read now. */
export function proxyEnv(): { http?: string; https?: string; noProxy?: string } {
  const http = either('http_proxy');
  const https = either('https_proxy');
  const noProxy = either('no_proxy');
  return {
    ...(http ? { http } : {}),
    ...(https ? { https } : {}),
    ...(noProxy ? { noProxy } : {}),
  };
}

/**
 * Whether the environment names a proxy that Deno's own client would apply by itself:
 * `HTTP_PROXY`, `HTTPS_PROXY` or `ALL_PROXY` (either case; the transport reads no `ALL_PROXY`).
 */
export function runtimeSeesProxy(): boolean {
  return (
    Object.keys(proxyEnv()).some((key) => key !== 'noProxy') || either('all_proxy') !== undefined
  );
}
