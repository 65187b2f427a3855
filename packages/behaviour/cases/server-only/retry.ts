// Server-only cases for @fetchstack/retry (Node, Deno, Bun).
export {};
