// Headers a session made for one try and hands to its transport (in a module of its own, so
// that a page's bundle keeps it with the session's per-call code, which alone uses it there).

/**
 * `Headers` a session merged for one try (its default headers, the call's own, the jar's
 * cookie) and hands to its own transport, which nothing else can see or change: the transport
 * reads them as they are. fetch copies the headers it is given when it is called, and so does
 * the transport with any other `Headers` (a caller's own may change after the call).
 */
export const ownedHeaders: WeakSet<object> = /* @__PURE__ */ new WeakSet();
