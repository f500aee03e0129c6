export { handleShutdown } from './graceful-shutdown';
export type { ShutdownOptions, ShutdownStep } from './graceful-shutdown';
