// What a session made for one call and hands to a transport beneath, which nobody else holds:
// the transport sends it as it is instead of copying it again.

/**
 * Byte arrays a session copied from a call when it was called (see the session's snapshot): a
 * transport may send them without its own copy (a 64 MB upload would otherwise be held twice).
 */
export const ownedBytes: WeakSet<object> = /* @__PURE__ */ new WeakSet();

/**
 * `Headers` a session merged for one try (its default headers, the call's own, the jar's
 * cookie) and hands to its own transport, which nothing else can see or change: the transport
 * reads them as they are. fetch copies the headers it is given when it is called, and so does
 * the transport with any other `Headers` (a caller's own may change after the call).
 */
export const ownedHeaders: WeakSet<object> = /* @__PURE__ */ new WeakSet();
