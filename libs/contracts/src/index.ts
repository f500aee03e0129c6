export * from './catalog';
export * from './variables';
export * from './messages';
export * from './errors';
export { toResponseSpec } from './response-spec';
