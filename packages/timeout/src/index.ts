export {
  splitTimeout,
  type TimeoutOptions,
  type TimeoutOverride,
  timeout,
} from './timeout.js';
export { isTimeoutError, TimeoutError, type TimeoutLimit } from './timeout-error.js';
