export { REPEATED_ERROR_INTERVAL_MS, createRedisConnection } from './redis-connection';
export { RedisUnreachableError, redactRedisUrl } from './redis-unreachable-error';
export { waitForRedis } from './when-ready';
export type { ConnectionRole, RedisClient, RedisConnectionOptions } from './redis-connection';
export { KEPT_JOBS_MAX_BYTES, QUEUE_NAME, WebrequestQueue, jobOptions } from './webrequest-queue';
export { INLINE_RESULT_MAX_BYTES, ResultChannel, STORED_RESULT_MAX_TTL_MS, publishResult, resultChannelName, storedResultKey } from './result-channel';
export type { DirectResultMessage, PublishOptions } from './result-channel';
export { controlChannelName, publishControl, subscribeControl } from './control-channel';
export { EndpointLimits, concurrencyKey, deliveryKey } from './endpoint-limits';
