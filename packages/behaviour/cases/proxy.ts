// Cases for @fetchstack/proxy (portable: no node: imports; they run in every runtime).
export {};
