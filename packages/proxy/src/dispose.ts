// The key of `await using`, in a module that imports nothing: the browser and Workers
// transport needs it without what ./transport.ts imports.

// Engines without Symbol.asyncDispose: the registered symbol stands in (what the
// TypeScript helpers for `await using` look up).
export const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);
