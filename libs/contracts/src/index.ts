export * from './catalog';
export * from './variables';
export * from './messages';
export * from './errors';
export { toResponseSpec } from './response-spec';
export { capJson } from './cap-json';
export type { TruncatedValue } from './cap-json';
