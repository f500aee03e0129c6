export type { Sandbox, SandboxRequest } from './sandbox';
export { ThreadSandbox, createThreadSandbox, type ThreadSandboxOptions } from './thread-sandbox';
export { ProcessSandbox, createProcessSandbox, type ProcessSandboxOptions } from './process-sandbox';
export { sandboxPermissions, type SandboxPermissions } from './sandbox-permissions';
