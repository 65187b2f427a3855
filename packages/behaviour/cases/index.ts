// Every portable case file. Each package adds its own file here.
import './core.js';
import './headers.js';
import './cookies.js';
import './redirect.js';
import './auth.js';
import './retry.js';
import './timeout.js';
import './proxy.js';
import './session.js';
import './session-calls.js';
import './cache.js';
import './limit.js';
import './fidelity.js';
import './options-property.js';
import './replay-iterables.js';
import './hardening/index.js';
