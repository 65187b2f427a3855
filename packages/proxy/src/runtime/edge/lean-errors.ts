// The error classes and guards of the browser and Workers builds: the same names, codes,
// fields and guards as everywhere else (FetchstackError subclasses), but their constructors
// carry no URL machinery. Of these, the package itself throws only ProxyUnsupportedError (a
// refusal at creation) and TransportClosedError (a call after close()) here; ProxyError and
// ConnectTimeoutError are thrown by server transports only, and exist here for imports,
// `instanceof` and the guards. A URL in a message is hidden by `hide()` (lean-call.ts).
// One class a file, re-exported with `export *` only: a bundler then leaves a class out of a
// page's first load when nothing there uses it (a session re-exports them all).

export * from '../../errors/proxy-unsupported-error.js';
export * from './lean-connect-timeout-error.js';
export * from './lean-proxy-error.js';
export * from './lean-transport-closed-error.js';
