import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCatalog } from '@webrequests/catalog';
import { openStore } from '@webrequests/store';

describe('applyCatalog', () => {
  it("takes a scenario's description from its leading comment, leaving out the editor's // @ts-check", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'scenarios', 'hello.js'), "// @ts-check\n// Says hello.\nreturn { hello: query.name ?? 'world' };");
    writeFileSync(join(dir, 'webrequests.json'), JSON.stringify({ webrequests: [] }));
    const store = await openStore('sqlite::memory:');
    try {
      await applyCatalog(store, dir, () => null);
      expect((await store.listScenarios()).items).toEqual([expect.objectContaining({ name: 'hello', description: 'Says hello.' })]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
