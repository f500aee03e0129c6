import { ValidationError, type ProcessStatus } from '@webrequests/contracts';
import { newId, type NewProcess, type ProcessFilter } from '@webrequests/store';
import { collectPages, finishOf, isoAt, newestFirst, newProcess, type StoreGetter } from './contract-fixtures';

interface Seeded extends NewProcess {
  status: ProcessStatus;
}

const STATUSES: ProcessStatus[] = ['queued', 'running', 'completed', 'failed', 'aborted'];
const WEBREQUESTS = [newId(), newId()];
const SCRIPTS = [newId(), newId(), newId()];
/** The process the seeded replays replay (it need not exist: a record outlives what it names). */
const REPLAYED = newId();

/**
 * 30 records spreading every filtered field. Creation times are a permutation of the creation order,
 * so a store that sorts by time instead of by id, or filters on the wrong column, gives itself away.
 * Four are test runs (one of them also a replay), which a listing shows only when it asks for tests.
 */
async function seed(store: StoreGetter): Promise<Seeded[]> {
  const seeded: Seeded[] = [];
  for (let i = 0; i < 30; i += 1) {
    const process = newProcess({
      webrequestId: WEBREQUESTS[i % 2]!,
      scriptId: SCRIPTS[i % 3]!,
      async: i % 4 < 2,
      createdAt: isoAt((i * 7) % 30),
      ...(i % 6 === 4 ? { replayOf: REPLAYED } : {}),
      ...(i % 7 === 3 ? { test: true } : {}),
    });
    await store().createProcess(process);
    const status = STATUSES[i % 5]!;
    if (status !== 'queued') await store().startProcess(process.id, { startedAt: isoAt(40), worker: 'w', attempts: 1 });
    if (status !== 'queued' && status !== 'running') await store().finishProcess(process.id, finishOf({ status }));
    seeded.push({ ...process, status });
  }
  return seeded;
}

/** What a listing with `filter` must answer: the matching ids, newest first. */
function expectedIds(seeded: Seeded[], filter: ProcessFilter): string[] {
  const matches = seeded.filter(
    (p) =>
      (filter.status === undefined || p.status === filter.status) &&
      (filter.webrequestId === undefined || p.webrequestId === filter.webrequestId) &&
      (filter.scriptId === undefined || p.scriptId === filter.scriptId) &&
      (filter.async === undefined || p.async === filter.async) &&
      (filter.createdFrom === undefined || Date.parse(p.createdAt) >= Date.parse(filter.createdFrom)) &&
      (filter.createdTo === undefined || Date.parse(p.createdAt) < Date.parse(filter.createdTo)) &&
      (filter.replayOf === undefined || p.replayOf === filter.replayOf) &&
      (p.test === true) === (filter.test === true),
  );
  return newestFirst(matches.map((p) => p.id));
}

const SINGLE_FILTERS: [string, ProcessFilter][] = [
  ...STATUSES.map((status): [string, ProcessFilter] => [`status ${status}`, { status }]),
  ['the first webrequestId', { webrequestId: WEBREQUESTS[0] }],
  ['the second webrequestId', { webrequestId: WEBREQUESTS[1] }],
  ['a scriptId', { scriptId: SCRIPTS[2] }],
  ['async true', { async: true }],
  ['async false', { async: false }],
  ['createdFrom (inclusive)', { createdFrom: isoAt(12) }],
  ['createdTo (exclusive)', { createdTo: isoAt(12) }],
  ['test runs', { test: true }],
  ['test false (the same as no test filter)', { test: false }],
  ['replayOf', { replayOf: REPLAYED }],
];

const COMBINED_FILTERS: [string, ProcessFilter][] = [
  ['status and webrequestId', { status: 'completed', webrequestId: WEBREQUESTS[0] }],
  ['scriptId and async', { scriptId: SCRIPTS[1], async: false }],
  ['a time range', { createdFrom: isoAt(5), createdTo: isoAt(20) }],
  ['webrequestId, scriptId and async', { webrequestId: WEBREQUESTS[1], scriptId: SCRIPTS[0], async: true }],
  ['test runs of a status', { test: true, status: 'failed' }],
  ['test runs that are replays', { test: true, replayOf: REPLAYED }],
  ['replayOf and async', { replayOf: REPLAYED, async: false }],
  [
    'every filter at once',
    {
      status: 'running',
      webrequestId: WEBREQUESTS[0],
      scriptId: SCRIPTS[1],
      async: true,
      createdFrom: isoAt(0),
      createdTo: isoAt(29),
    },
  ],
];

/** Contract of `listProcesses` filters, alone, combined and with paging. */
export function processFilterContract(store: StoreGetter): void {
  describe('process filters', () => {
    let seeded: Seeded[];

    beforeEach(async () => {
      seeded = await seed(store);
    });

    it('lists every record but the test runs, newest first, without a filter', async () => {
      const page = await store().listProcesses();
      expect(page.items.map((p) => p.id)).toEqual(newestFirst(seeded.filter((p) => !p.test).map((p) => p.id)));
      expect(page.items.length).toBe(seeded.length - 4);
      expect(page.nextCursor).toBeNull();
    });

    it('answers test and replayOf on every listed record', async () => {
      const byId = new Map(seeded.map((p) => [p.id, p]));
      const listed = [...(await store().listProcesses()).items, ...(await store().listProcesses({ test: true })).items];
      expect(listed).toHaveLength(seeded.length);
      for (const record of listed) {
        const seed = byId.get(record.id)!;
        expect(record).toMatchObject({ test: seed.test === true, replayOf: seed.replayOf ?? null });
      }
    });

    it.each([...SINGLE_FILTERS, ...COMBINED_FILTERS])('filters by %s', async (_name, filter) => {
      const expected = expectedIds(seeded, filter);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(seeded.length);
      const page = await store().listProcesses(filter);
      expect(page.items.map((p) => p.id)).toEqual(expected);
    });

    it('answers records that match the filter in every field', async () => {
      const page = await store().listProcesses({ status: 'failed', async: true });
      for (const record of page.items) expect(record).toMatchObject({ status: 'failed', async: true });
      expect(page.items.length).toBe(expectedIds(seeded, { status: 'failed', async: true }).length);
    });

    it('treats a time on its exact boundary as inside createdFrom and outside createdTo', async () => {
      const onBoundary = seeded.filter((p) => p.createdAt === isoAt(12)).map((p) => p.id);
      expect(onBoundary).toHaveLength(1);
      const inside = await store().listProcesses({ createdFrom: isoAt(12), createdTo: isoAt(13) });
      expect(inside.items.map((p) => p.id)).toEqual(onBoundary);
      const before = await store().listProcesses({ createdFrom: isoAt(11), createdTo: isoAt(12) });
      expect(before.items.map((p) => p.id)).not.toContain(onBoundary[0]);
    });

    it('reads time filters written with another UTC offset as the same instant', async () => {
      const local = '2024-03-01T02:05:00.000+02:00'; // isoAt(5)
      const page = await store().listProcesses({ createdFrom: local, createdTo: isoAt(20) });
      expect(page.items.map((p) => p.id)).toEqual(expectedIds(seeded, { createdFrom: isoAt(5), createdTo: isoAt(20) }));
    });

    it('refuses a time filter that is not a time, naming it', async () => {
      await expect(store().listProcesses({ createdFrom: 'yesterday-ish' })).rejects.toThrow(ValidationError);
      await expect(store().listProcesses({ createdTo: 'soon' })).rejects.toMatchObject({ field: 'createdTo' });
    });

    it('answers an empty page when nothing matches', async () => {
      expect(await store().listProcesses({ webrequestId: newId() })).toEqual({ items: [], nextCursor: null });
      expect(await store().listProcesses({ createdFrom: isoAt(1000) })).toEqual({ items: [], nextCursor: null });
    });

    it('pages through a filtered listing without gaps or duplicates', async () => {
      const filter: ProcessFilter = { webrequestId: WEBREQUESTS[0], async: false };
      const { items, pageSizes } = await collectPages((cursor) => store().listProcesses({ ...filter, cursor, limit: 2 }));
      const expected = expectedIds(seeded, filter);
      expect(items.map((p) => p.id)).toEqual(expected);
      expect(pageSizes.every((size) => size <= 2)).toBe(true);
      expect(pageSizes).toHaveLength(Math.ceil(expected.length / 2));
    });
  });
}
