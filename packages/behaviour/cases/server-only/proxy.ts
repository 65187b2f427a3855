// Server-only cases for @fetchstack/proxy (Node, Deno, Bun).
export {};
