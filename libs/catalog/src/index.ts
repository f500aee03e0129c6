export { applyCatalog } from './apply-catalog';
export type { ApplyAction, ApplyReportLine } from './apply-catalog';
export { manifestSchema } from './manifest';
export type { Manifest } from './manifest';
