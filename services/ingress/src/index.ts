export { createIngressApp } from './app';
export type { IngressDeps } from './app';
export { urlIdOf } from './webrequest-handler';
