// Debian's redis-server on a free loopback port for one test file (the starter the bench and
// the cross-runtime checks use too).
export {
  freePort,
  type RedisServer,
  redisMissing,
  startRedis,
} from '../../test-server/src/redis.js';
