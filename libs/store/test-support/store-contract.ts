import { UnavailableError } from '@webrequests/contracts';
import { newId, type Store } from '@webrequests/store';
import type { StoreGetter } from './contract-fixtures';
import { pagingContract } from './paging-contract';
import { processContract } from './process-contract';
import { processFilterContract } from './process-filter-contract';
import { scenarioContract } from './scenario-contract';
import { secretContract } from './secret-contract';
import { webRequestContract } from './webrequest-contract';

function connectionContract(store: StoreGetter): void {
  describe('connection', () => {
    it('answers a ping', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });

    it('fails with UnavailableError once closed, and closing twice is harmless', async () => {
      await store().close();
      await expect(store().close()).resolves.toBeUndefined();
      await expect(store().ping()).rejects.toThrow(UnavailableError);
      await expect(store().getScenario(newId())).rejects.toThrow(UnavailableError);
      await expect(store().listProcesses()).rejects.toThrow(UnavailableError);
      await expect(store().listSecrets()).rejects.toThrow(UnavailableError);
      await expect(store().putSecret({ name: 'n', keyId: 'k', iv: 'i', tag: 't', ciphertext: 'c' })).rejects.toThrow(UnavailableError);
    });
  });
}

/**
 * Declares the behaviour every {@link Store} implementation must have, as jest `describe`/`it` blocks.
 * Each test gets a fresh, empty store from `makeStore` and hands it to `dispose` afterwards (which must
 * accept a store the test already closed).
 */
export function describeStoreContract(
  label: string,
  makeStore: () => Promise<Store>,
  dispose: (store: Store) => Promise<void>,
): void {
  describe(`${label} (Store contract)`, () => {
    let current: Store | undefined;
    const store: StoreGetter = () => {
      if (!current) throw new Error('no store: makeStore failed');
      return current;
    };

    beforeEach(async () => {
      current = await makeStore();
    });

    afterEach(async () => {
      if (current) await dispose(current);
      current = undefined;
    });

    scenarioContract(store);
    webRequestContract(store);
    processContract(store);
    processFilterContract(store);
    secretContract(store);
    pagingContract(store);
    connectionContract(store);
  });
}
