export type {
  NewProcess,
  Page,
  PageRequest,
  ProcessFilter,
  ProcessFinish,
  ProcessStart,
  ProcessState,
  Clearable,
  ScenarioInput,
  Store,
  WebRequestInput,
} from './store';
export { failedWithoutRun } from './store';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store';
export { openStore } from './open-store';
export { newId } from './new-id';
// MongoStore is not exported from here: importing it loads mongoose (~30 MB); openStore loads it for a mongodb:// URL.
export type { MongoStore, MongoStoreOptions } from './mongo-store';
export { countedStore, type StoreOperation } from './counted-store';
