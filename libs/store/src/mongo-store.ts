import mongoose, { type Connection, type mongo } from 'mongoose';
import {
  AppError,
  ConflictError,
  UnavailableError,
  ValidationError,
  type EndpointProtection,
  type ProcessRecord,
  type Scenario,
  type SealedSecret,
  type SecretInfo,
  type WebRequest,
} from '@webrequests/contracts';
import { isoTime } from './iso-time';
import { mongoModels, type MongoModels, type ProcessDoc } from './mongo-models';
import { processOf, scenarioOf, sealedSecretOf, secretInfoOf, webRequestOf } from './mongo-rows';
import { newId } from './new-id';
import { BY_ID, BY_NAME, decodeCursor, pageSize, toPage, type CursorKey } from './paging';
import { PROTECTION_FIELDS, protectionOf } from './protection-fields';
import type {
  NewProcess,
  Page,
  PageRequest,
  ProcessFilter,
  ProcessFinish,
  ProcessStart,
  ProcessState,
  ScenarioInput,
  Store,
  WebRequestInput,
} from './store';

const OPEN_STATUSES: ProcessDoc['status'][] = ['queued', 'running'];

type MongoCollection<T extends mongo.Document> = mongo.Collection<T>;

/** The cursor key of the listings newest first: a document's `_id`, which is the record id. */
const BY_DOC_ID: CursorKey<{ _id: string }> = { of: (doc) => doc._id, accepts: BY_ID.accepts };

/** Options of {@link MongoStore.open}. */
export interface MongoStoreOptions {
  /** How long an operation waits for a reachable server before failing (milliseconds); default 5000. */
  serverSelectionTimeoutMs?: number;
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}

/** Maps a driver failure to the contract's errors: duplicates are conflicts, the rest unavailability. */
function toStoreError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (isDuplicateKey(error)) return new ConflictError('conflicting record (a unique key is taken)', { cause: error });
  if (error instanceof mongoose.Error.ValidationError) {
    const field = Object.keys(error.errors)[0] ?? '(record)';
    return new ValidationError(`${field}: ${error.errors[field]?.message ?? error.message}`, field);
  }
  return new UnavailableError(`the MongoDB store failed: ${(error as Error).message}`, { cause: error });
}

/**
 * The {@link Store} over MongoDB through mongoose: the production store for many hosts. Commands are
 * not buffered while disconnected, so a lost server fails fast (503) instead of holding callers.
 * Integrity checks that span two collections (an endpoint's scenario exists; a scenario in use is not
 * deleted) are check-then-write: a concurrent change between the two can slip through, which the
 * worker tolerates (a missing scenario fails the process with a clear error).
 */
export class MongoStore implements Store {
  private constructor(
    private readonly connection: Connection,
    private readonly m: MongoModels,
  ) {}

  /** Connects to `url` and makes sure the indexes exist. Throws `UnavailableError` when unreachable. */
  static async open(url: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
    const connection = mongoose.createConnection(url, {
      bufferCommands: false,
      autoIndex: false,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
    });
    try {
      await connection.asPromise();
      const models = mongoModels(connection);
      await Promise.all(Object.values(models).map((model) => model.createIndexes()));
      return new MongoStore(connection, models);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw new UnavailableError(`cannot open the MongoDB store: ${(error as Error).message}`, { cause: error });
    }
  }

  async createScenario(input: ScenarioInput): Promise<Scenario> {
    return this.guard(async () => {
      const now = new Date();
      const doc = { _id: newId(), name: input.name, description: input.description ?? '', source: input.source, createdAt: now, updatedAt: now };
      await this.m.scenarios.create(doc);
      return scenarioOf(doc);
    });
  }

  async getScenario(id: string): Promise<Scenario | null> {
    return this.guard(async () => {
      const doc = await this.m.scenarios.findById(id).lean();
      return doc ? scenarioOf(doc) : null;
    });
  }

  async listScenarios(page: PageRequest = {}): Promise<Page<Scenario>> {
    return this.guard(() => this.listOf(this.m.scenarios, {}, page, scenarioOf));
  }

  async updateScenario(id: string, patch: Partial<ScenarioInput>): Promise<Scenario | null> {
    return this.guard(async () => {
      const set = { ...defined(patch), updatedAt: new Date() };
      const doc = await this.m.scenarios.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', runValidators: true }).lean();
      return doc ? scenarioOf(doc) : null;
    });
  }

  async deleteScenario(id: string): Promise<boolean> {
    return this.guard(async () => {
      const user = await this.m.webrequests.findOne({ scriptId: id }, { _id: 1 }).lean();
      if (user) throw new ConflictError(`scenario ${id} is used by endpoint ${user._id}`);
      return (await this.m.scenarios.deleteOne({ _id: id })).deletedCount > 0;
    });
  }

  async createWebRequest(input: WebRequestInput): Promise<WebRequest> {
    return this.guard(async () => {
      await this.requireScenario(input.scriptId);
      const now = new Date();
      const doc = {
        _id: newId(),
        name: input.name,
        description: input.description ?? '',
        urlId: input.urlId,
        scriptId: input.scriptId,
        status: input.status ?? ('active' as const),
        ...(input.corsOrigins !== undefined ? { corsOrigins: input.corsOrigins } : {}),
        ...protectionOf(input),
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.m.webrequests.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConflictError(`urlId '${input.urlId}' is already used by another endpoint`);
        throw error;
      }
      return webRequestOf(doc);
    });
  }

  async getWebRequest(id: string): Promise<WebRequest | null> {
    return this.guard(async () => {
      const doc = await this.m.webrequests.findById(id).lean();
      return doc ? webRequestOf(doc) : null;
    });
  }

  async getWebRequestByUrlId(urlId: string): Promise<WebRequest | null> {
    return this.guard(async () => {
      const doc = await this.m.webrequests.findOne({ urlId }).lean();
      return doc ? webRequestOf(doc) : null;
    });
  }

  async listWebRequests(page: PageRequest = {}): Promise<Page<WebRequest>> {
    return this.guard(() => this.listOf(this.m.webrequests, {}, page, webRequestOf));
  }

  async updateWebRequest(id: string, patch: Partial<WebRequestInput>): Promise<WebRequest | null> {
    return this.guard(async () => {
      if (patch.scriptId !== undefined) await this.requireScenario(patch.scriptId);
      // Checked first, not only through the unique index: FerretDB v1 reports a duplicate key in
      // findAndModify as a generic error instead of code 11000. The index still guards against races.
      if (patch.urlId !== undefined) await this.requireFreeUrlId(patch.urlId, id);
      // Through JSON: in an update the driver writes an undefined key inside a value as null, where a
      // create (and the SQLite store) leaves it out.
      const protection = JSON.parse(JSON.stringify(protectionOf(patch))) as EndpointProtection;
      const set = { ...defined(patch), ...protection, updatedAt: new Date() };
      const cleared = PROTECTION_FIELDS.filter((field) => patch[field] === null);
      const update = { $set: set, ...(cleared.length > 0 ? { $unset: Object.fromEntries(cleared.map((field) => [field, 1])) } : {}) };
      try {
        const doc = await this.m.webrequests.findByIdAndUpdate(id, update, { returnDocument: 'after', runValidators: true }).lean();
        return doc ? webRequestOf(doc) : null;
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConflictError(`urlId '${patch.urlId}' is already used by another endpoint`);
        throw error;
      }
    });
  }

  async deleteWebRequest(id: string): Promise<boolean> {
    return this.guard(async () => (await this.m.webrequests.deleteOne({ _id: id })).deletedCount > 0);
  }

  async createProcess(process: NewProcess): Promise<void> {
    await this.guard(async () => {
      // The whole document, defaults included, straight to the driver: mongoose's document machinery
      // (casting, validation, hooks) cost more CPU than the round trip on every accepted request.
      const doc: ProcessDoc = {
        _id: process.id,
        webrequestId: process.webrequestId,
        scriptId: process.scriptId,
        async: process.async,
        status: 'queued',
        requestId: process.requestId,
        input: JSON.stringify(process.input ?? null),
        output: null,
        error: null,
        logs: '[]',
        createdAt: new Date(isoTime(process.createdAt, 'createdAt')),
        startedAt: null,
        finishedAt: null,
        durationMs: null,
        attempts: 0,
        worker: null,
        replayOf: process.replayOf ?? null,
        test: process.test ?? false,
      };
      await this.processDocs.insertOne(doc);
    });
  }

  async startProcess(id: string, start: ProcessStart): Promise<boolean> {
    return this.guard(async () => {
      const set = { status: 'running' as const, startedAt: new Date(isoTime(start.startedAt, 'startedAt')), worker: start.worker, attempts: start.attempts };
      const result = await this.processDocs.updateOne({ _id: id, status: { $in: OPEN_STATUSES } }, { $set: set });
      return result.matchedCount > 0;
    });
  }

  async finishProcess(id: string, finish: ProcessFinish): Promise<boolean> {
    return this.guard(async () => {
      const set = {
        status: finish.status,
        output: finish.output === undefined ? null : JSON.stringify(finish.output),
        error: finish.error === null ? null : JSON.stringify(finish.error),
        logs: JSON.stringify(finish.logs),
        finishedAt: new Date(isoTime(finish.finishedAt, 'finishedAt')),
        durationMs: finish.durationMs,
        ...(finish.start
          ? { startedAt: new Date(isoTime(finish.start.startedAt, 'startedAt')), worker: finish.start.worker, attempts: finish.start.attempts }
          : {}),
      };
      const result = await this.processDocs.updateOne({ _id: id, status: { $in: OPEN_STATUSES } }, { $set: set });
      return result.matchedCount > 0;
    });
  }

  async getProcess(id: string): Promise<ProcessRecord | null> {
    return this.guard(async () => {
      const doc = await this.m.processes.findById(id).lean();
      return doc ? processOf(doc) : null;
    });
  }

  async processState(id: string): Promise<ProcessState | null> {
    return this.guard(async () => {
      const doc = await this.processDocs.findOne({ _id: id }, { projection: { status: 1, attempts: 1 } });
      return doc ? { status: doc.status, attempts: doc.attempts ?? 0 } : null;
    });
  }

  async listProcesses(filter: ProcessFilter = {}): Promise<Page<ProcessRecord>> {
    return this.guard(() => {
      const query: Record<string, unknown> = {};
      if (filter.status !== undefined) query.status = filter.status;
      if (filter.webrequestId !== undefined) query.webrequestId = filter.webrequestId;
      if (filter.scriptId !== undefined) query.scriptId = filter.scriptId;
      if (filter.async !== undefined) query.async = filter.async;
      const createdAt: Record<string, Date> = {};
      if (filter.createdFrom !== undefined) createdAt.$gte = new Date(isoTime(filter.createdFrom, 'createdFrom'));
      if (filter.createdTo !== undefined) createdAt.$lt = new Date(isoTime(filter.createdTo, 'createdTo'));
      if (Object.keys(createdAt).length > 0) query.createdAt = createdAt;
      if (filter.replayOf !== undefined) query.replayOf = filter.replayOf;
      // `$ne`, not `false`: documents written before the field existed have none, and are no tests.
      query.test = filter.test === true ? true : { $ne: true };
      return this.listOf(this.m.processes, query, filter, processOf);
    });
  }

  async deleteProcess(id: string): Promise<boolean> {
    return this.guard(async () => (await this.m.processes.deleteOne({ _id: id })).deletedCount > 0);
  }

  async pruneProcesses(before: Date): Promise<number> {
    if (Number.isNaN(before.getTime())) throw new ValidationError('before must be a valid date', 'before');
    return this.guard(async () => (await this.m.processes.deleteMany({ createdAt: { $lt: before } })).deletedCount);
  }

  async putSecret(sealed: SealedSecret): Promise<{ secret: SecretInfo; created: boolean }> {
    return this.guard(async () => {
      // Two upserts of one new name can race: the loser's insert meets the unique _id. MongoDB retries
      // that itself (4.2 and later), FerretDB v1 does not; trying again updates the winner's document.
      const result = await this.upsertSecret(sealed).catch((error: unknown) => {
        if (isDuplicateKey(error)) return this.upsertSecret(sealed);
        throw error;
      });
      return { secret: secretInfoOf(result.value!), created: result.lastErrorObject?.updatedExisting !== true };
    });
  }

  async resealSecret(sealed: SealedSecret): Promise<boolean> {
    return this.guard(async () => {
      const result = await this.m.secrets.updateOne({ _id: sealed.name }, { $set: sealedParts(sealed) });
      return result.matchedCount > 0;
    });
  }

  async listSecrets(page: PageRequest = {}): Promise<Page<SecretInfo>> {
    return this.guard(async () => {
      const size = pageSize(page.limit);
      const after = decodeCursor(page.cursor, BY_NAME);
      const where = after === undefined ? {} : { _id: { $gt: after } };
      const docs = await this.m.secrets.find(where, { createdAt: 1, updatedAt: 1 }).sort({ _id: 1 }).limit(size + 1).lean();
      return toPage(docs.map(secretInfoOf), size, (info: SecretInfo) => info, BY_NAME);
    });
  }

  async getSealedSecrets(names?: readonly string[]): Promise<SealedSecret[]> {
    return this.guard(async () => {
      const where = names === undefined ? {} : { _id: { $in: names } };
      const docs = await this.m.secrets.find(where, { createdAt: 0, updatedAt: 0 }).lean();
      return docs.map(sealedSecretOf);
    });
  }

  async deleteSecret(name: string): Promise<boolean> {
    return this.guard(async () => (await this.m.secrets.deleteOne({ _id: name })).deletedCount > 0);
  }

  async ping(): Promise<void> {
    await this.guard(async () => {
      await this.connection.db!.admin().ping();
    });
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }

  /**
   * The processes collection through the driver itself, for the calls every process makes: their
   * documents are built whole here, so mongoose's casting and validation would only add CPU.
   */
  private get processDocs(): MongoCollection<ProcessDoc> {
    return this.m.processes.collection as unknown as MongoCollection<ProcessDoc>;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  private async listOf<D extends { _id: string }, T>(
    model: MongoModels[keyof MongoModels],
    query: Record<string, unknown>,
    page: PageRequest,
    map: (doc: D) => T,
  ): Promise<Page<T>> {
    const size = pageSize(page.limit);
    const after = decodeCursor(page.cursor, BY_DOC_ID);
    const where = after === undefined ? query : { ...query, _id: { $lt: after } };
    const docs = (await (model as typeof this.m.processes).find(where).sort({ _id: -1 }).limit(size + 1).lean()) as unknown as D[];
    return toPage(docs, size, map, BY_DOC_ID);
  }

  /** One atomic upsert, so that createdAt is set by whichever write creates the document, and only then. */
  private upsertSecret(sealed: SealedSecret) {
    const now = new Date();
    return this.m.secrets.findOneAndUpdate(
      { _id: sealed.name },
      { $set: { ...sealedParts(sealed), updatedAt: now }, $setOnInsert: { createdAt: now } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true, lean: true },
    );
  }

  private async requireFreeUrlId(urlId: string, ownerId: string): Promise<void> {
    const holder = await this.m.webrequests.findOne({ urlId }, { _id: 1 }).lean();
    if (holder && holder._id !== ownerId) throw new ConflictError(`urlId '${urlId}' is already used by endpoint ${holder._id}`);
  }

  private async requireScenario(scriptId: string): Promise<void> {
    if (!(await this.m.scenarios.exists({ _id: scriptId }))) {
      throw new ValidationError(`scriptId ${scriptId} names no scenario`, 'scriptId');
    }
  }
}

/** The fields of a patch that set a value: `undefined` means "leave as is", null "clear" (an `$unset`). */
function defined<T extends object>(patch: T): Partial<T> {
  const set = Object.entries(patch).filter(([, value]) => value !== undefined && value !== null);
  return Object.fromEntries(set) as Partial<T>;
}

/** The parts of a sealed secret a document holds besides its name. */
function sealedParts(sealed: SealedSecret): Pick<SealedSecret, 'keyId' | 'iv' | 'tag' | 'ciphertext'> {
  return { keyId: sealed.keyId, iv: sealed.iv, tag: sealed.tag, ciphertext: sealed.ciphertext };
}

export type { ProcessDoc };
