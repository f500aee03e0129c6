import { ConflictError } from '@webrequests/contracts';
import { newId } from '@webrequests/store';
import {
  expectIsoBetween,
  scenarioInput,
  sleep,
  UUID_PATTERN,
  webRequestInput,
  type StoreGetter,
} from './contract-fixtures';

/** Contract of the scenario catalog: create, read, update, delete and the in-use rule. */
export function scenarioContract(store: StoreGetter): void {
  describe('scenarios', () => {
    it('creates a scenario with a generated id and equal creation and update times, and reads it back', async () => {
      const before = Date.now();
      const input = scenarioInput({ name: 'Greeter «ü»', source: "return { text: 'it''s' };" });
      const created = await store().createScenario(input);

      expect(created).toEqual({
        id: expect.stringMatching(UUID_PATTERN),
        ...input,
        createdAt: expect.any(String),
        updatedAt: created.createdAt,
      });
      expectIsoBetween(created.createdAt, before, Date.now());
      expect(await store().getScenario(created.id)).toEqual(created);
    });

    it('defaults the description to an empty string', async () => {
      const created = await store().createScenario({ name: 'bare', source: 'return {};' });
      expect(created.description).toBe('');
      expect((await store().getScenario(created.id))?.description).toBe('');
    });

    it('gives every scenario its own id', async () => {
      const a = await store().createScenario(scenarioInput());
      const b = await store().createScenario(scenarioInput());
      expect(a.id).not.toBe(b.id);
      expect((await store().getScenario(b.id))?.name).toBe(b.name);
    });

    it('answers null for an unknown scenario id', async () => {
      await store().createScenario(scenarioInput());
      expect(await store().getScenario(newId())).toBeNull();
      expect(await store().getScenario('not-an-id')).toBeNull();
    });

    it('updates only the given fields, moves updatedAt and keeps createdAt', async () => {
      const created = await store().createScenario(scenarioInput());
      await sleep(5);
      const updated = await store().updateScenario(created.id, { source: 'return { v: 2 };' });

      expect(updated).toEqual({ ...created, source: 'return { v: 2 };', updatedAt: expect.any(String) });
      expect(Date.parse(updated!.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
      expect(await store().getScenario(created.id)).toEqual(updated);
    });

    it('leaves fields alone whose patch value is undefined', async () => {
      const created = await store().createScenario(scenarioInput());
      const patch = { name: 'renamed', description: undefined, source: undefined };
      const updated = await store().updateScenario(created.id, patch);
      expect(updated).toMatchObject({ name: 'renamed', description: created.description, source: created.source });
      expect(await store().getScenario(created.id)).toEqual(updated);
    });

    it('answers null when updating an unknown scenario, and creates nothing', async () => {
      const id = newId();
      expect(await store().updateScenario(id, { name: 'ghost' })).toBeNull();
      expect(await store().getScenario(id)).toBeNull();
      expect((await store().listScenarios()).items).toEqual([]);
    });

    it('deletes a scenario once: true, then false', async () => {
      const keep = await store().createScenario(scenarioInput());
      const gone = await store().createScenario(scenarioInput());
      expect(await store().deleteScenario(gone.id)).toBe(true);
      expect(await store().getScenario(gone.id)).toBeNull();
      expect(await store().deleteScenario(gone.id)).toBe(false);
      expect(await store().getScenario(keep.id)).toEqual(keep);
    });

    it('refuses to delete a scenario that an endpoint uses, until the endpoint is gone', async () => {
      const scenario = await store().createScenario(scenarioInput());
      const endpoint = await store().createWebRequest(webRequestInput(scenario.id, { status: 'disabled' }));

      await expect(store().deleteScenario(scenario.id)).rejects.toThrow(ConflictError);
      expect(await store().getScenario(scenario.id)).toEqual(scenario);

      expect(await store().deleteWebRequest(endpoint.id)).toBe(true);
      expect(await store().deleteScenario(scenario.id)).toBe(true);
    });

    it('lists scenarios newest first', async () => {
      const made = [];
      for (let i = 0; i < 4; i += 1) made.push(await store().createScenario(scenarioInput()));
      const page = await store().listScenarios();
      expect(page).toEqual({ items: [...made].reverse(), nextCursor: null });
    });
  });
}
