export { createIngressApp } from './app';
export type { IngressDeps } from './app';
export { urlIdOf } from './webrequest-handler';
export { adminRouter, adminOperations } from './admin/admin-router';
export type { AdminDeps } from './admin/admin-router';
export { openApiPath } from './admin/openapi';
