import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { newId, type Store } from '@webrequests/store';
// From the sources, both: openStore loads the MongoStore class of its own folder.
import { MongoStore } from '../src/mongo-store';
import { openStore } from '../src/open-store';
import { describeStoreContract } from '../test-support/store-contract';

const MONGO_URL = process.env.MONGO_URL;

/** A fresh database per store, so tests never see each other's records. */
function databaseUrl(base: string): string {
  const url = new URL(base);
  url.pathname = `/wr_test_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

const urls = new Map<Store, string>();

async function dropDatabase(url: string): Promise<void> {
  const connection = await mongoose.createConnection(url).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

if (!MONGO_URL) {
  describe('MongoStore', () => {
    it.skip('is SKIPPED: MONGO_URL is not set (CI sets it to a FerretDB server)', () => undefined);
  });
} else {
  describeStoreContract(
    'MongoStore',
    async () => {
      const url = databaseUrl(MONGO_URL);
      const store = await openStore(url);
      urls.set(store, url);
      return store;
    },
    async (store) => {
      await store.close();
      await dropDatabase(urls.get(store)!);
      urls.delete(store);
    },
  );

  describe('MongoStore specifics', () => {
    it('is what openStore gives for a mongodb:// URL', async () => {
      const url = databaseUrl(MONGO_URL);
      const store = await openStore(url);
      try {
        expect(store).toBeInstanceOf(MongoStore);
      } finally {
        await store.close();
        await dropDatabase(url);
      }
    });

    it('reads a process document written before replayOf and test existed as neither, and lists it', async () => {
      const url = databaseUrl(MONGO_URL);
      const store = await openStore(url);
      const raw = await mongoose.createConnection(url).asPromise();
      try {
        const id = newId();
        const at = new Date('2024-03-01T00:00:00.000Z');
        await raw.collection<{ _id: string } & Record<string, unknown>>('processes').insertOne({
          _id: id,
          webrequestId: newId(),
          scriptId: newId(),
          async: false,
          status: 'queued',
          requestId: 'req-old',
          input: 'null',
          output: null,
          error: null,
          logs: '[]',
          createdAt: at,
          startedAt: null,
          finishedAt: null,
          durationMs: null,
          attempts: 0,
          worker: null,
        });
        expect(await store.getProcess(id)).toMatchObject({ id, status: 'queued', replayOf: null, test: false });
        expect((await store.listProcesses()).items.map((p) => p.id)).toEqual([id]);
        expect((await store.listProcesses({ test: false })).items.map((p) => p.id)).toEqual([id]);
        expect((await store.listProcesses({ test: true })).items).toEqual([]);
      } finally {
        await raw.close();
        await store.close();
        await dropDatabase(url);
      }
    });

    it('fails fast with UnavailableError when no server answers', async () => {
      const started = Date.now();
      await expect(MongoStore.open('mongodb://127.0.0.1:1/none', { serverSelectionTimeoutMs: 500 })).rejects.toMatchObject({
        code: 'unavailable',
      });
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
}
