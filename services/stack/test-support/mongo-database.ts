import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

/*
 * A test file's own database on the MongoDB server of MONGO_URL, and ways to read it around the
 * services: what the store really wrote, not what its reads answer.
 */

/** A fresh database on the MongoDB server `base`, so that a file never sees another run's records. */
export function freshDatabase(base: string): string {
  const url = new URL(base);
  url.pathname = `/wr_e2e_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

/** Runs `work` on a connection of its own to `url`, closed afterwards whatever happens. */
async function withConnection<T>(url: string, work: (connection: mongoose.Connection) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(url).asPromise();
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

/** Drops the database of `url` (a file's {@link freshDatabase}) with everything in it. */
export async function dropDatabase(url: string): Promise<void> {
  await withConnection(url, async (connection) => {
    await connection.dropDatabase();
  });
}

/** One document as MongoDB holds it. */
export async function readDocument(url: string, collection: string, id: string): Promise<Record<string, unknown> | null> {
  return withConnection(url, (connection) => connection.db!.collection<{ _id: string }>(collection).findOne({ _id: id }));
}

/** One collection of a database and all of its documents, as Extended JSON text. */
export interface DumpedCollection {
  collection: string;
  documents: number;
  text: string;
}

/** Every document of every collection of the database of `url` (indexes and metadata aside). */
export async function dumpDatabase(url: string): Promise<DumpedCollection[]> {
  return withConnection(url, async (connection) => {
    const db = connection.db!;
    const dumped: DumpedCollection[] = [];
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const documents = await db.collection(name).find({}).toArray();
      dumped.push({ collection: name, documents: documents.length, text: mongoose.mongo.BSON.EJSON.stringify(documents, { relaxed: false }) });
    }
    return dumped;
  });
}
