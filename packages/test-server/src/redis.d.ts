/** Why Redis cannot run here, or `undefined` when it can. */
export declare const redisMissing: string | undefined;
/** A TCP port free on 127.0.0.1 at the time of asking. */
export declare function freePort(): Promise<number>;
export interface RedisServer {
  url: string;
  port: number;
  /** Kills it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Stops it (SIGTERM), waits for it to exit. */
  stop(): Promise<void>;
}
/** Starts redis-server (on `port`, or a free one) and resolves once it answers PING. */
export declare function startRedis(port?: number): Promise<RedisServer>;
