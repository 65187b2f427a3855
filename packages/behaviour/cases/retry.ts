// Cases for @fetchstack/retry (portable: no node: imports; they run in every runtime).
export {};
