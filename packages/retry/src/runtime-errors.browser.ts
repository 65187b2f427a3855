// The browser build of runtime-errors.ts (chosen by the `browser` field of package.json): a
// browser is neither Bun nor workerd, so neither of their marks can occur.

export function bunNetworkCode(_code: unknown): boolean {
  return false;
}

export function workerdNetworkError(_message: string, _networkMessages: RegExp): boolean {
  return false;
}
