export { handleShutdown } from './graceful-shutdown';
export type { ShutdownOptions, ShutdownStep } from './graceful-shutdown';
export { PortUnavailableError, listen } from './listen';
export { StartupError, exitOnStartupFailure, startupFailureLine } from './startup-failure';
