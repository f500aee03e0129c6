import type { EndpointProtection } from '@webrequests/contracts';
import { Schema, type Connection, type Model } from 'mongoose';

/** Documents as stored. Ids are UUIDv7 strings in `_id`, so paging by `_id` is paging by time. */
export interface ScenarioDoc {
  _id: string;
  name: string;
  description: string;
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint; each protection field is on the document only when the endpoint sets it. */
export interface WebRequestDoc extends EndpointProtection {
  _id: string;
  name: string;
  description: string;
  urlId: string;
  scriptId: string;
  status: 'active' | 'disabled';
  corsOrigins?: string[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A process record. Input, output, error and logs are kept as JSON text: scenario output carries keys
 * such as `$status` and `$headers`, which MongoDB restricts as field names, and nothing queries inside
 * them.
 */
export interface ProcessDoc {
  _id: string;
  webrequestId: string;
  scriptId: string;
  async: boolean;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'aborted';
  requestId: string;
  input: string;
  output: string | null;
  error: string | null;
  logs: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  attempts: number;
  worker: string | null;
  /** Absent (read as null and false) on documents written before these fields existed. */
  replayOf?: string | null;
  test?: boolean;
}

/** A secret's sealed value, by name (`_id`). */
export interface SecretDoc {
  _id: string;
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MongoModels {
  scenarios: Model<ScenarioDoc>;
  webrequests: Model<WebRequestDoc>;
  processes: Model<ProcessDoc>;
  secrets: Model<SecretDoc>;
}

const options = { versionKey: false as const, _id: false, strict: 'throw' as const };

const scenarioSchema = new Schema<ScenarioDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, maxlength: 200 },
    description: { type: String, default: '', maxlength: 2000 },
    source: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'scenarios' },
);

const webrequestSchema = new Schema<WebRequestDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, maxlength: 200 },
    description: { type: String, default: '', maxlength: 2000 },
    urlId: { type: String, required: true, maxlength: 200 },
    scriptId: { type: String, required: true },
    status: { type: String, enum: ['active', 'disabled'], required: true },
    corsOrigins: { type: [String], default: undefined },
    secrets: { type: [String], default: undefined },
    // Mixed: kept exactly as given, with no `_id` added and no key of a variant's shape stripped.
    auth: { type: Schema.Types.Mixed },
    allowIps: { type: [String], default: undefined },
    dedup: { type: Schema.Types.Mixed },
    timeoutMs: { type: Number },
    maxConcurrent: { type: Number },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'webrequests' },
);
webrequestSchema.index({ urlId: 1 }, { unique: true });
webrequestSchema.index({ scriptId: 1 });

const processSchema = new Schema<ProcessDoc>(
  {
    _id: { type: String, required: true },
    webrequestId: { type: String, required: true },
    scriptId: { type: String, required: true },
    async: { type: Boolean, required: true },
    status: { type: String, enum: ['queued', 'running', 'completed', 'failed', 'aborted'], required: true },
    requestId: { type: String, required: true },
    input: { type: String, default: 'null' },
    output: { type: String, default: null },
    error: { type: String, default: null },
    logs: { type: String, default: '[]' },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    durationMs: { type: Number, default: null },
    attempts: { type: Number, default: 0 },
    worker: { type: String, default: null },
    replayOf: { type: String, default: null },
    test: { type: Boolean, default: false },
  },
  { ...options, collection: 'processes' },
);
// Every listing sorts by _id descending; each filter leads an index that ends in _id for that sort.
processSchema.index({ status: 1, _id: -1 });
processSchema.index({ webrequestId: 1, _id: -1 });
processSchema.index({ scriptId: 1, _id: -1 });
processSchema.index({ createdAt: 1 });
processSchema.index({ replayOf: 1, _id: -1 });
processSchema.index({ test: 1, _id: -1 });

const secretSchema = new Schema<SecretDoc>(
  {
    _id: { type: String, required: true },
    keyId: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    ciphertext: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'secrets' },
);

/** The models of one connection (not mongoose's global one, so several stores can coexist). */
export function mongoModels(connection: Connection): MongoModels {
  return {
    scenarios: connection.model<ScenarioDoc>('Scenario', scenarioSchema),
    webrequests: connection.model<WebRequestDoc>('WebRequest', webrequestSchema),
    processes: connection.model<ProcessDoc>('Process', processSchema),
    secrets: connection.model<SecretDoc>('Secret', secretSchema),
  };
}
