import { auth } from './auth.js';
import { base } from './base.js';
import { cache } from './cache.js';
import { fidelity } from './fidelity.js';
import { hardening } from './hardening.js';
import { limit } from './limit.js';
import { proxy } from './proxy.js';
import { retry } from './retry.js';
import { session } from './session.js';

export const routes = {
  ...base,
  ...auth,
  ...retry,
  ...proxy,
  ...session,
  ...hardening,
  ...fidelity,
  ...cache,
  ...limit,
};
