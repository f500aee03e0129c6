export { obtainRedis, NO_REDIS_MESSAGE } from './obtain-redis';
export type { LocalRedis, ObtainRedisOptions } from './local-redis';
export { findFreePort } from './find-free-port';
export { pingRedis } from './ping-redis';
