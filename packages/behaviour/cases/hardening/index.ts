// The hardening group (issue 9): fault matrix, fuzzed input, credential-leak matrix.
// The fault matrix, cell by cell, is written down in docs/hardening.md.
import './fuzz-core.js';
import './fuzz-headers.js';
import './faults.js';
import './leaks.js';
import './fuzz-wrappers.js';
import './fuzz-session.js';
