import { z } from 'zod';
import type { LogEntry, ProcessRecord, Scenario, SecretInfo, WebRequest } from '@webrequests/contracts';
import { PROCESS_ERROR_CODES } from '@webrequests/contracts';
import { authSchema, dedupSchema, secretNameSchema } from './schemas';

/**
 * Schemas of what the admin API answers, for the OpenAPI document. Each is typed against the contract
 * type it describes (`z.ZodType<Scenario>`…), so a field added to a record and not here fails the build.
 */
const isoTime = z.iso.datetime({ offset: true });

export const scenarioSchema: z.ZodType<Scenario> = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  source: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const webrequestSchema: z.ZodType<WebRequest> = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  urlId: z.string(),
  scriptId: z.string(),
  status: z.enum(['active', 'disabled']),
  corsOrigins: z.array(z.string()).optional(),
  secrets: z.array(z.string()).optional(),
  auth: authSchema.optional(),
  allowIps: z.array(z.string()).optional(),
  dedup: dedupSchema.optional(),
  timeoutMs: z.number().int().optional(),
  maxConcurrent: z.number().int().optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const secretSchema: z.ZodType<SecretInfo> = z
  .object({ name: secretNameSchema, createdAt: isoTime, updatedAt: isoTime })
  .meta({ description: 'A secret of the catalog: its name and times, never its value.' });

const truncatedSchema = z
  .object({ truncated: z.literal(true), bytes: z.number().int(), preview: z.string() })
  .meta({ description: 'Stands in for a value whose JSON was over PROCESS_RESULT_LIMIT: its size and first characters.' });

const logEntrySchema: z.ZodType<LogEntry> = z.object({
  level: z.enum(['log', 'info', 'warn', 'error']),
  message: z.string(),
  at: z.number().meta({ description: 'Milliseconds since the epoch.' }),
});

export const processSchema: z.ZodType<ProcessRecord> = z.object({
  id: z.string(),
  webrequestId: z.string(),
  scriptId: z.string(),
  async: z.boolean(),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'aborted']),
  requestId: z.string(),
  input: z.union([z.record(z.string(), z.unknown()), truncatedSchema]).meta({ description: 'The variables the scenario received (SPEC §3).' }),
  output: z.union([z.record(z.string(), z.unknown()), truncatedSchema, z.null()]).meta({ description: 'The output variables; null unless completed.' }),
  error: z
    .object({ code: z.enum(PROCESS_ERROR_CODES).meta({ description: 'Why the process failed or was aborted; the error table of docs/scenarios.md gives each code\'s status for a sync caller.' }), message: z.string() })
    .nullable(),
  logs: z.array(logEntrySchema).meta({ description: 'What the scenario wrote with console.*, kept even when it was killed.' }),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  durationMs: z.number().int().nullable(),
  attempts: z.number().int().meta({ description: 'How many times a worker started it (more than 1 after a worker died mid-run).' }),
  worker: z.string().nullable().meta({ description: 'INSTANCE_ID of the worker that ran it last.' }),
  replayOf: z.string().nullable().meta({ description: 'The process this one replays (POST /processes/{id}/replay); null otherwise.' }),
  test: z.boolean().meta({ description: 'A test run (POST /webrequests/{id}/test): listed only with test=true.' }),
});

/** One page of a list, newest first. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last one.' }),
  });
}

export const errorSchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Stable error code: invalid_request, unauthorized, not_found, conflict…' }),
    message: z.string(),
    field: z.string().optional().meta({ description: 'The offending field of a 400.' }),
  }),
});

export const testAnswerSchema = z.object({
  status: z.number().int().meta({ description: 'The HTTP status the caller would get.' }),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  body: z.string(),
  bodyEncoding: z.enum(['utf8', 'base64']).meta({ description: 'base64 when the body bytes are not UTF-8 text.' }),
  process: processSchema.nullable().meta({ description: 'The record of the run (test: true).' }),
});
