export { createLogger, serializeError } from './create-logger';
export type { Logger } from './create-logger';
