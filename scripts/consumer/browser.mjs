// The page's script (bundled by esbuild for the browser): runs consumer.ts against the page's origin.
import { run } from './out/consumer.js';

globalThis.__result = run(`${location.origin}/`).then(
  (lines) => ({ lines }),
  (error) => ({ error: String(error?.stack ?? error) }),
);
