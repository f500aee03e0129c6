export * from './catalog';
export * from './variables';
export * from './messages';
export * from './errors';
export { toResponseSpec } from './response-spec';
export { capJson, capLogs } from './cap-json';
export type { TruncatedValue } from './cap-json';
export { ORIGIN_PATTERN, URL_ID_PATTERN } from './patterns';
