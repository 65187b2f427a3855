// Cases for @fetchstack/session (portable: no node: imports; they run in every runtime).
export {};
