export type { Sandbox, SandboxRequest } from './sandbox';
export { ThreadSandbox, createThreadSandbox, type ThreadSandboxOptions } from './thread-sandbox';
