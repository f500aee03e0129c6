export { createIngressApp } from './app';
export type { IngressDeps } from './app';
export { urlIdOf } from './webrequest-handler';
export { adminRouter, adminOperations } from './admin/admin-router';
export type { AdminDeps } from './admin/admin-router';
export { openApiPath } from './admin/openapi';
export { describedRequestVariables, parseDescribedRequest } from './described-request';
export type { DescribedRequest } from './described-request';
export { isTextContentType } from './parse-body';
