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
export { MongoStore, type MongoStoreOptions } from './mongo-store';
export { countedStore, type StoreOperation } from './counted-store';
