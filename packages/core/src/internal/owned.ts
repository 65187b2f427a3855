// Bytes a session copied from a call when it was called (see the session's snapshot): nobody
// else holds them, so a transport beneath sends them as they are instead of copying them again
// (a 64 MB upload would otherwise be held twice).

/** Byte arrays that no caller holds: a transport may send them without its own copy. */
export const ownedBytes: WeakSet<object> = /* @__PURE__ */ new WeakSet();
