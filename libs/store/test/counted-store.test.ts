import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError } from '@webrequests/contracts';
import { countedStore, openStore, type Store, type StoreOperation } from '@webrequests/store';
import { newProcess } from '../test-support/contract-fixtures';

const workDir = mkdtempSync(join(tmpdir(), 'webrequests-counted-store-test-'));
let inner: Store;
let counts: Map<StoreOperation, number>;
let store: Store;

beforeEach(async () => {
  inner = await openStore(`sqlite:${join(workDir, 'counted.db')}`);
  counts = new Map();
  store = countedStore(inner, (operation) => counts.set(operation, (counts.get(operation) ?? 0) + 1));
});

afterEach(async () => {
  await inner.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(workDir, `counted.db${suffix}`), { force: true });
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('countedStore', () => {
  it('counts each call by method name and answers what the store answers', async () => {
    const scenario = await store.createScenario({ name: 'noop', source: 'return { ok: true };' });
    expect(await store.getScenario(scenario.id)).toEqual(await inner.getScenario(scenario.id));
    expect(await store.getScenario('unknown')).toBeNull();
    const process = newProcess({ scriptId: scenario.id });
    await store.createProcess(process);
    expect(await store.processState(process.id)).toEqual({ status: 'queued', attempts: 0 });

    expect(Object.fromEntries(counts)).toEqual({ createScenario: 1, getScenario: 2, createProcess: 1, processState: 1 });
  });

  it('counts a call that fails and passes its error through unchanged', async () => {
    const process = newProcess();
    await store.createProcess(process);
    const error = await store.createProcess(process).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(counts.get('createProcess')).toBe(2);
  });

  it('counts nothing but calls', () => {
    expect(typeof store.ping).toBe('function');
    expect(counts.size).toBe(0);
  });
});
