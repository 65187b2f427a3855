// Which refresh a call was made from, so that a refresh calling its own fetch is never made
// to wait for itself.
//
// Server runtimes carry it across awaits with AsyncLocalStorage: Node (>= 20.16), Deno 2
// and Bun all expose it through `process.getBuiltinModule`, and so do Workers with the
// `nodejs_compat` flag. It is looked up there rather than imported, so that browsers and
// their bundles never see a `node:` module. Where it is missing (browsers, Workers without
// the flag) this is `undefined`, and `bearerAuth` treats every call that starts while a
// refresh runs as possibly the refresh's own.

/** The part of AsyncLocalStorage used here. */
export interface RefreshContext {
  run<R>(store: object, fn: () => R): R;
  getStore(): object | undefined;
}

export const refreshContext: RefreshContext | undefined = /* @__PURE__ */ makeContext();

function makeContext(): RefreshContext | undefined {
  try {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    const hooks = process?.getBuiltinModule?.('node:async_hooks') as
      | { AsyncLocalStorage?: new () => RefreshContext }
      | undefined;
    return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : undefined;
  } catch {
    return undefined;
  }
}
