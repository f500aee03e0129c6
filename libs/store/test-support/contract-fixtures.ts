import type { LogEntry } from '@webrequests/contracts';
import {
  newId,
  type NewProcess,
  type Page,
  type ProcessFinish,
  type ScenarioInput,
  type Store,
  type WebRequestInput,
} from '@webrequests/store';

/** Lazily gives the store of the running test (made in `beforeEach`). */
export type StoreGetter = () => Store;

/** Canonical UUID text; the stores' ids have this shape. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A fixed instant the fixtures count from, so time filters have exact boundaries. */
export const BASE_TIME = Date.parse('2024-03-01T00:00:00.000Z');

/** The canonical ISO text of `BASE_TIME + minutes`. */
export function isoAt(minutes: number): string {
  return new Date(BASE_TIME + minutes * 60_000).toISOString();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let serial = 0;

export function scenarioInput(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
  serial += 1;
  const source = `return { n: ${serial} };`;
  return { name: `scenario ${serial}`, description: `does thing ${serial}`, source, ...overrides };
}

/** An endpoint input with a urlId no other fixture uses. */
export function webRequestInput(scriptId: string, overrides: Partial<WebRequestInput> = {}): WebRequestInput {
  serial += 1;
  return { name: `endpoint ${serial}`, urlId: `hooks/endpoint-${serial}`, scriptId, ...overrides };
}

export function newProcess(overrides: Partial<NewProcess> = {}): NewProcess {
  return {
    id: newId(),
    webrequestId: newId(),
    scriptId: newId(),
    async: false,
    requestId: `req-${newId()}`,
    input: { method: 'POST', body: { order: 42 } },
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

export const SAMPLE_LOGS: LogEntry[] = [
  { level: 'log', message: 'starting', at: 1_709_251_200_000 },
  { level: 'warn', message: 'slow upstream', at: 1_709_251_200_150 },
];

export function finishOf(overrides: Partial<ProcessFinish> = {}): ProcessFinish {
  return {
    status: 'completed',
    output: { greeting: 'Hello, world', $status: 201 },
    error: null,
    logs: SAMPLE_LOGS,
    finishedAt: new Date().toISOString(),
    durationMs: 17,
    ...overrides,
  };
}

/** Creates `count` processes one after another (so their ids ascend); answers them oldest first. */
export async function seedProcesses(store: Store, count: number, overrides: Partial<NewProcess> = {}) {
  const created: NewProcess[] = [];
  for (let i = 0; i < count; i += 1) {
    const process = newProcess(overrides);
    await store.createProcess(process);
    created.push(process);
  }
  return created;
}

/** Ids newest first, as every listing orders them. */
export function newestFirst(ids: string[]): string[] {
  return [...ids].sort().reverse();
}

/**
 * Follows `nextCursor` to the end. Gives up after `maxPages`, so that a store whose cursor never ends
 * fails the test instead of hanging it.
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 50,
): Promise<{ items: T[]; pageSizes: number[] }> {
  const items: T[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i += 1) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    pageSizes.push(page.items.length);
    if (page.nextCursor === null) return { items, pageSizes };
    expect(typeof page.nextCursor).toBe('string');
    cursor = page.nextCursor;
  }
  throw new Error(`still more pages after ${maxPages}`);
}

/** Asserts a time is canonical ISO text (what `toISOString` writes) within [from, to]. */
export function expectIsoBetween(value: string, from: number, to: number): void {
  expect(new Date(value).toISOString()).toBe(value);
  expect(Date.parse(value)).toBeGreaterThanOrEqual(from);
  expect(Date.parse(value)).toBeLessThanOrEqual(to);
}
