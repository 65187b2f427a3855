// Browsers: the console shows a response or a request as an object to unfold, not as text in
// a log, so it is left as it is (and a page does not load the redaction for it).

/** Returns `message` as it is (see printable.ts). */
export function printsRedacted<T extends Response | Request | undefined>(message: T): T {
  return message;
}

/** Puts `message` on `error` as `key` (see printable.ts; a browser's console lists it as it is). */
export function holdRedacted(
  error: object,
  key: string,
  message: Response | Request | undefined,
): void {
  (error as Record<string, unknown>)[key] = message;
}
