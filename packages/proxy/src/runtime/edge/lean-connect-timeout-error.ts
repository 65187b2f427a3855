// ConnectTimeoutError of the browser and Workers builds: never thrown there (no connect
// setting can be used); here for imports, `instanceof` and the guards.
import { FetchstackError } from '@fetchstack/core';
import type * as full from '../../exports.js';
import { at, guard, hide, type Input, label } from './lean-call.js';

export const ConnectTimeoutError: typeof full.ConnectTimeoutError = class ConnectTimeoutError extends FetchstackError {
  override name = 'ConnectTimeoutError' as const;
  declare readonly code: 'CONNECT_TIMEOUT';
  declare readonly ms: number;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly toProxy: boolean;
  constructor(
    ms: number,
    input: Input,
    init: RequestInit | undefined,
    proxy?: URL,
    options?: { cause?: unknown },
  ) {
    const call = at(input, init);
    super(
      'CONNECT_TIMEOUT',
      `${label(call)}: no connection to ${proxy ? `the proxy ${hide(proxy.href)}` : 'the server'} within the connect timeout (connect: ${ms} ms); check the host and port, or raise \`connect\`.`,
      { ...options, at: call },
    );
    this.ms = ms;
    this.toProxy = proxy !== undefined;
  }
};
export type ConnectTimeoutError = full.ConnectTimeoutError;
export type { ConnectTimeoutFailure } from '../../errors/connect-timeout-error.js';

const isConnectTimeout = guard<full.ConnectTimeoutError>('ConnectTimeoutError');
export const connectTimeoutOf: typeof full.connectTimeoutOf = (error) =>
  isConnectTimeout(error)
    ? error
    : isConnectTimeout((error as { cause?: unknown } | null)?.cause)
      ? (error as { cause: full.ConnectTimeoutError }).cause
      : undefined;
export const isConnectTimeoutError: typeof full.isConnectTimeoutError = (
  error,
): error is full.ConnectTimeoutError | full.ConnectTimeoutFailure =>
  connectTimeoutOf(error) !== undefined;
