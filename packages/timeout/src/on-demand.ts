// What a call loads on first need, in one piece: the words of a `TimeoutError` with URL
// redaction (./message.ts) and the body watcher (./body.ts). One module so that a bundle
// splits it off as one chunk, and what it shares with the rest stays in one chunk too.
export { wrapBody } from './body.js';
export { describeTimeout } from './message.js';
