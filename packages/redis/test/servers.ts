// The servers of a suite of fleet tests: a redis-server on a free port and the counting origin
// (a real HTTP server on 127.0.0.1), started before its tests and stopped after them, with
// any child process a test left behind.
import { after, before } from 'node:test';
import { type Origin, startOrigin } from './origin.js';
import { type RedisServer, startRedis } from './redis-server.js';
import { children } from './session-children.js';

export interface FleetServers {
  redis: RedisServer;
  origin: Origin;
}

/** Registers the suite's `before` and `after`; `started` receives the servers once they run. */
export function fleetServers(started: (servers: FleetServers) => void): void {
  let servers: Partial<FleetServers> = {};
  before(async () => {
    servers = { redis: await startRedis(), origin: await startOrigin() };
    started(servers as FleetServers);
  });
  after(async () => {
    for (const proc of children) proc.kill('SIGKILL');
    await servers.redis?.stop();
    await servers.origin?.close();
  });
}
