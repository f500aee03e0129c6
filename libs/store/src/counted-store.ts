import type { Store } from './store';

/** The name of one `Store` method (`createProcess`, `getWebRequestByUrlId`…). */
export type StoreOperation = {
  [K in keyof Store]: Store[K] extends (...args: never[]) => unknown ? K : never;
}[keyof Store];

/**
 * `store` with each method call counted: `count(name)` runs before the call is forwarded, whatever its
 * outcome; results and errors pass through unchanged. For metrics (store operations per process).
 */
export function countedStore(store: Store, count: (operation: StoreOperation) => void): Store {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        count(property as StoreOperation);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
