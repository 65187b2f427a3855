export { splitTimeout, timeout, type TimeoutOptions } from './timeout.js';
export { isTimeoutError, TimeoutError, type TimeoutLimit } from './timeout-error.js';
