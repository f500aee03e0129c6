import type { ProcessRecord, Scenario, SealedSecret, SecretInfo, WebRequest } from '@webrequests/contracts';
import type { ProcessDoc, ScenarioDoc, SecretDoc, WebRequestDoc } from './mongo-models';
import { protectionOf } from './protection-fields';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
const parse = <T>(text: string | null, fallback: T): T => (text === null ? fallback : (JSON.parse(text) as T));

export function scenarioOf(doc: ScenarioDoc): Scenario {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description,
    source: doc.source,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export function webRequestOf(doc: WebRequestDoc): WebRequest {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description,
    urlId: doc.urlId,
    scriptId: doc.scriptId,
    status: doc.status,
    ...(doc.corsOrigins ? { corsOrigins: [...doc.corsOrigins] } : {}),
    ...protectionOf(doc),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export function processOf(doc: ProcessDoc): ProcessRecord {
  return {
    id: doc._id,
    webrequestId: doc.webrequestId,
    scriptId: doc.scriptId,
    async: doc.async,
    status: doc.status,
    requestId: doc.requestId,
    input: parse(doc.input, null),
    output: parse(doc.output, null),
    error: parse(doc.error, null),
    logs: parse(doc.logs, []),
    createdAt: doc.createdAt.toISOString(),
    startedAt: iso(doc.startedAt),
    finishedAt: iso(doc.finishedAt),
    durationMs: doc.durationMs,
    attempts: doc.attempts,
    worker: doc.worker,
    replayOf: doc.replayOf ?? null,
    test: doc.test ?? false,
  };
}

/** What the admin API shows of a secret: never its sealed parts. */
export function secretInfoOf(doc: Pick<SecretDoc, '_id' | 'createdAt' | 'updatedAt'>): SecretInfo {
  return { name: doc._id, createdAt: doc.createdAt.toISOString(), updatedAt: doc.updatedAt.toISOString() };
}

export function sealedSecretOf(doc: Omit<SecretDoc, 'createdAt' | 'updatedAt'>): SealedSecret {
  return { name: doc._id, keyId: doc.keyId, iv: doc.iv, tag: doc.tag, ciphertext: doc.ciphertext };
}
