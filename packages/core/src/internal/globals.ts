// The platform's classes and types as the global scope names them, apart from runtime.ts
// (whose own exports shadow the names). Written as `typeof Headers`, not
// `typeof globalThis.Headers`, so that the published types hold with any set of globals: the
// DOM library's (`declare var`) and Cloudflare's workers-types (`declare class`, which is not
// a property of `globalThis` to TypeScript).
export type HeadersClass = typeof Headers;
export type HeadersType = Headers;
export type RequestClass = typeof Request;
export type RequestType = Request;
export type ResponseClass = typeof Response;
export type ResponseType = Response;
/** `Response.type`'s values. */
export type ResponseKind = 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect';
/** `RequestInit.credentials`'s values. */
export type Credentials = 'omit' | 'same-origin' | 'include';
