// Cases for @fetchstack/auth (portable: no node: imports; they run in every runtime).
export {};
