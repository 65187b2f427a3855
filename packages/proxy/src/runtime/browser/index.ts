// The "browser" condition: the refusal of a platform that routes requests itself, small
// (its types are those of runtime/edge, as every entry's are).
import type { TransportFactories } from '../../types.js';
import { refusing } from '../edge/lean.js';

export * from '../edge/lean-errors.js';

const factories = refusing('browser', 'a browser', 'the system or browser proxy settings');

/** The platform's fetch, captured now; a proxy, `tls`, `pool` or `connect` throws `ProxyUnsupportedError`. */
export const createTransport: TransportFactories['createTransport'] = factories.createTransport;
/** Any proxy throws `ProxyUnsupportedError`; `'env'` hands back the fetch beneath unchanged. */
export const proxy: TransportFactories['proxy'] = factories.proxy;
