export { splitTimeout, type TimeoutOptions, timeout } from './timeout.js';
export { isTimeoutError, TimeoutError, type TimeoutLimit } from './timeout-error.js';
