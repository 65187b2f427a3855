// Cases that need a server runtime (Node, Deno, Bun): child processes, env vars, node: modules.
import './retry.js';
import './proxy.js';
import './reset-on-reuse.js';
import './session.js';
import './cache.js';
import '../hardening/server-only.js';
