// Cases for @fetchstack/cookies (portable: no node: imports; they run in every runtime).
export {};
