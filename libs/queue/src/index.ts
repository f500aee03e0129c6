export { createRedisConnection } from './redis-connection';
export type { ConnectionRole, RedisClient, RedisConnectionOptions } from './redis-connection';
export { QUEUE_NAME, WebrequestQueue } from './webrequest-queue';
export { ResultChannel, publishResult, resultChannelName } from './result-channel';
export { controlChannelName, publishControl, subscribeControl } from './control-channel';
