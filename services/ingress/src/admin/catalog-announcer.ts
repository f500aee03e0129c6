import type { Store } from '@webrequests/store';

/** The store calls that change what the public route or a worker keeps in memory. */
const CATALOG_WRITES = ['createScenario', 'updateScenario', 'deleteScenario', 'createWebRequest', 'updateWebRequest', 'deleteWebRequest'] as const;

/**
 * The store as the admin API uses it: every write to the catalog that succeeds is followed by
 * `announce()` before it answers, so that this ingress serves the change to the very next request and
 * the others hear of it over the control channel. Reads and process calls pass through untouched.
 */
export function announcingCatalogChanges(store: Store, announce: () => Promise<void>): Store {
  const writes: Partial<Store> = {};
  for (const name of CATALOG_WRITES) {
    const write = store[name].bind(store) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(writes, {
      [name]: async (...args: unknown[]) => {
        const result = await write(...args);
        await announce();
        return result;
      },
    });
  }
  return new Proxy(store, {
    get: (target, property, receiver) => (Object.hasOwn(writes, property) ? writes[property as keyof Store] : Reflect.get(target, property, receiver)),
  });
}
