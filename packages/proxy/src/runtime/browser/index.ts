// Browsers (the "browser" condition): the browser decides how a request leaves, so this build
// only refuses (see ../edge/refuse.ts). Its types are those of ../edge/index.ts.
import { platformTransport } from '../edge/platform.js';
import { refusing } from '../edge/refuse.js';

export * from '../edge/errors.js';

export const { createTransport, proxy } = refusing(
  'browser',
  'a browser',
  'the browser',
  platformTransport,
);
