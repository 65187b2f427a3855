// The browser build of runtime-errors.ts (chosen by the `browser` field of package.json): a
// browser is neither Node, Bun nor workerd, so none of their marks can occur.

export function nodeRefusal(_cause: unknown): boolean {
  return false;
}

export function bunNetworkCode(_code: unknown): boolean {
  return false;
}

export function workerdNetworkError(_message: string, _networkMessages: RegExp): boolean {
  return false;
}
