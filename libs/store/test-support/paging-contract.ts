import { ValidationError } from '@webrequests/contracts';
import {
  collectPages,
  newestFirst,
  scenarioInput,
  seedProcesses,
  webRequestInput,
  type StoreGetter,
} from './contract-fixtures';

function ids(items: { id: string }[]): string[] {
  return items.map((item) => item.id);
}

/** Contract of cursor paging: newest first, no gaps or duplicates, stable while records come and go. */
export function pagingContract(store: StoreGetter): void {
  describe('paging', () => {
    describe('over 120 processes', () => {
      let expected: string[];

      beforeEach(async () => {
        expected = newestFirst(ids(await seedProcesses(store(), 120)));
      });

      it('collects every record once, newest first, in pages of the asked size', async () => {
        const { items, pageSizes } = await collectPages((cursor) => store().listProcesses({ cursor, limit: 25 }));
        expect(ids(items)).toEqual(expected);
        expect(pageSizes).toEqual([25, 25, 25, 25, 20]);
      });

      it('pages by 50 when no limit is given', async () => {
        const { items, pageSizes } = await collectPages((cursor) => store().listProcesses({ cursor }));
        expect(ids(items)).toEqual(expected);
        expect(pageSizes).toEqual([50, 50, 20]);
      });

      it('ends with a null cursor when the last page is exactly full', async () => {
        const { items, pageSizes } = await collectPages((cursor) => store().listProcesses({ cursor, limit: 40 }));
        expect(ids(items)).toEqual(expected);
        expect(pageSizes).toEqual([40, 40, 40]);
      });

      it('keeps the original records whole and in order when new ones arrive between pages', async () => {
        const added: string[] = [];
        const collected: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store().listProcesses({ cursor, limit: 30 });
          collected.push(...ids(page.items));
          cursor = page.nextCursor ?? undefined;
          added.push(...ids(await seedProcesses(store(), 5)));
        } while (cursor !== undefined && collected.length <= 1000);

        expect(new Set(collected).size).toBe(collected.length);
        expect(collected.filter((id) => !added.includes(id))).toEqual(expected);
      });

      it('does not shift later pages when a record already seen is deleted', async () => {
        const first = await store().listProcesses({ limit: 30 });
        await store().deleteProcess(first.items[29]!.id);
        await store().deleteProcess(first.items[0]!.id);
        const second = await store().listProcesses({ cursor: first.nextCursor!, limit: 30 });
        expect(ids(second.items)).toEqual(expected.slice(30, 60));
      });

      it('answers one page of everything when the limit exceeds the count', async () => {
        expect(await store().listProcesses({ limit: 500 })).toEqual({ items: expect.any(Array), nextCursor: null });
        expect(ids((await store().listProcesses({ limit: 500 })).items)).toEqual(expected);
      });
    });

    it('caps a page at 500 records', async () => {
      const expected = newestFirst(ids(await seedProcesses(store(), 510)));
      const first = await store().listProcesses({ limit: 10_000 });
      expect(ids(first.items)).toEqual(expected.slice(0, 500));
      expect(first.nextCursor).not.toBeNull();
      const second = await store().listProcesses({ cursor: first.nextCursor!, limit: 10_000 });
      expect(ids(second.items)).toEqual(expected.slice(500));
      expect(second.nextCursor).toBeNull();
    });

    it('pages scenarios newest first', async () => {
      const made = [];
      for (let i = 0; i < 7; i += 1) made.push(await store().createScenario(scenarioInput()));
      const { items, pageSizes } = await collectPages((cursor) => store().listScenarios({ cursor, limit: 3 }));
      expect(items).toEqual([...made].reverse());
      expect(pageSizes).toEqual([3, 3, 1]);
    });

    it('pages endpoints newest first', async () => {
      const scenario = await store().createScenario(scenarioInput());
      const made = [];
      for (let i = 0; i < 5; i += 1) made.push(await store().createWebRequest(webRequestInput(scenario.id)));
      const { items, pageSizes } = await collectPages((cursor) => store().listWebRequests({ cursor, limit: 2 }));
      expect(items).toEqual([...made].reverse());
      expect(pageSizes).toEqual([2, 2, 1]);
    });

    it('refuses a cursor it did not give out, naming cursor', async () => {
      await seedProcesses(store(), 3);
      for (const cursor of ['not a cursor', 'Zm9v', '']) {
        await expect(store().listProcesses({ cursor })).rejects.toMatchObject({ field: 'cursor' });
      }
      await expect(store().listScenarios({ cursor: 'garbage!' })).rejects.toThrow(ValidationError);
      await expect(store().listWebRequests({ cursor: 'garbage!' })).rejects.toThrow(ValidationError);
    });

    it.each([0, -1, 2.5, Number.NaN])('refuses a limit of %p, naming limit', async (limit) => {
      await expect(store().listProcesses({ limit })).rejects.toMatchObject({ field: 'limit' });
      await expect(store().listScenarios({ limit })).rejects.toThrow(ValidationError);
    });
  });
}
