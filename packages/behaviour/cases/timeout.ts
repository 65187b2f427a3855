// Cases for @fetchstack/timeout (portable: no node: imports; they run in every runtime).
export {};
