// Cases for @fetchstack/redirect (portable: no node: imports; they run in every runtime).
export {};
