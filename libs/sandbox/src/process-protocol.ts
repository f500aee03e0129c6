import { isProcessErrorCode, type LogEntry, type SandboxOutcome } from '@webrequests/contracts';
import type { PackedVariables } from './thread-protocol';
import type { FetchAnswer, OutboundRequest } from './outbound-fetch';

/** What a sandbox process is started with (its first message): the settings of its thread pool. */
export interface SandboxProcessSettings {
  threads: number;
  memoryMb: number;
  maxLogEntries?: number;
  maxLogBytes?: number;
  runsPerVm?: number;
  fetchOn: boolean;
  maxAnswerBytes?: number;
  /** How often the process checks its ArrayBuffer memory (ms). */
  memoryCheckMs: number;
}

/** One run, as the worker sends it: a SandboxRequest without what cannot cross a process boundary. */
export interface ProcessRunRequest {
  scriptId: string;
  scriptVersion: string;
  source: string;
  /** The variables as `v8.serialize` bytes: the sandbox process passes them to a thread unread. */
  variables: PackedVariables;
  deadline: number;
}

/** Worker → sandbox process. */
export type WorkerToSandbox =
  | { kind: 'init'; settings: SandboxProcessSettings }
  | { kind: 'run'; runId: number; request: ProcessRunRequest }
  | { kind: 'stop'; runId: number }
  | { kind: 'fetch-answer'; runId: number; fetchId: number; answer: FetchAnswer }
  | { kind: 'fetch-failed'; runId: number; fetchId: number; message: string };

/**
 * Sandbox process → worker. The worker believes none of it unchecked: {@link parseSandboxMessage}
 * validates every message, since the process runs untrusted code.
 */
export type SandboxToWorker =
  | { kind: 'ready'; permission: string }
  | { kind: 'log'; runId: number; entry: LogEntry }
  | { kind: 'fetch'; runId: number; fetchId: number; request: OutboundRequest }
  | { kind: 'fetch-abort'; runId: number; fetchId: number }
  | { kind: 'outcome'; runId: number; outcome: SandboxOutcome };

const LEVELS = new Set(['log', 'info', 'warn', 'error']);
/** A scenario stack is a few frames of `at … (line, column)`; anything much longer is not one. */
const MAX_STACK_CHARS = 16 * 1024;
const isPosition = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isStringRecord = (value: unknown): value is Record<string, string> => isObject(value) && Object.values(value).every((v) => typeof v === 'string');

function isLogEntry(value: unknown): value is LogEntry {
  return isObject(value) && typeof value.level === 'string' && LEVELS.has(value.level) && typeof value.message === 'string' && typeof value.at === 'number';
}

function isRequest(value: unknown): value is OutboundRequest {
  if (!isObject(value) || typeof value.url !== 'string' || typeof value.method !== 'string' || !isStringRecord(value.headers)) return false;
  const body = value.body;
  return body === null || typeof body === 'string' || body instanceof Uint8Array;
}

function isOutcome(value: unknown): value is SandboxOutcome {
  if (!isObject(value) || !Array.isArray(value.logs) || !value.logs.every(isLogEntry) || typeof value.durationMs !== 'number') return false;
  if (value.kind === 'output') return isObject(value.output);
  if (value.kind !== 'error' || !isObject(value.error)) return false;
  const { code, message, line, column, stack } = value.error;
  if (!isProcessErrorCode(code) || typeof message !== 'string') return false;
  if (line !== undefined && !isPosition(line)) return false;
  if (column !== undefined && !isPosition(column)) return false;
  return stack === undefined || (typeof stack === 'string' && stack.length <= MAX_STACK_CHARS);
}

/** The message if it is a well-formed {@link SandboxToWorker}, else null. */
export function parseSandboxMessage(value: unknown): SandboxToWorker | null {
  if (!isObject(value)) return null;
  switch (value.kind) {
    case 'ready':
      return typeof value.permission === 'string' ? (value as SandboxToWorker) : null;
    case 'log':
      return isId(value.runId) && isLogEntry(value.entry) ? (value as SandboxToWorker) : null;
    case 'fetch':
      return isId(value.runId) && isId(value.fetchId) && isRequest(value.request) ? (value as SandboxToWorker) : null;
    case 'fetch-abort':
      return isId(value.runId) && isId(value.fetchId) ? (value as SandboxToWorker) : null;
    case 'outcome':
      return isId(value.runId) && isOutcome(value.outcome) ? (value as SandboxToWorker) : null;
    default:
      return null;
  }
}
