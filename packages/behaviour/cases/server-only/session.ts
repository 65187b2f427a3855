// Server-only cases for @fetchstack/session (Node, Deno, Bun).
export {};
