import { ConflictError, type ProcessRecord } from '@webrequests/contracts';
import { newId, type NewProcess } from '@webrequests/store';
import { finishOf, isoAt, newProcess, SAMPLE_LOGS, seedProcesses, type StoreGetter } from './contract-fixtures';

/** The record a just-created process must read as. */
function queuedRecord(process: NewProcess): ProcessRecord {
  return {
    ...process,
    replayOf: process.replayOf ?? null,
    test: process.test ?? false,
    status: 'queued',
    output: null,
    error: null,
    logs: [],
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    attempts: 0,
    worker: null,
  };
}

const START = { startedAt: '2024-03-01T10:00:00.000Z', worker: 'worker-a:1234', attempts: 1 };

/** Contract of process records: creation, the queued → running → final lifecycle, delete and prune. */
export function processContract(store: StoreGetter): void {
  describe('processes', () => {
    it('records a new process as queued, exactly as given', async () => {
      const process = newProcess({ async: true });
      await store().createProcess(process);
      expect(await store().getProcess(process.id)).toEqual(queuedRecord(process));
    });

    it('records a replay and a test run as such, and any other process as neither', async () => {
      const original = newProcess();
      const replay = newProcess({ replayOf: original.id });
      const testRun = newProcess({ test: true });
      const testReplay = newProcess({ replayOf: original.id, test: true });
      for (const process of [original, replay, testRun, testReplay]) await store().createProcess(process);

      expect(await store().getProcess(original.id)).toMatchObject({ replayOf: null, test: false });
      expect(await store().getProcess(replay.id)).toEqual(queuedRecord(replay));
      expect(await store().getProcess(replay.id)).toMatchObject({ replayOf: original.id, test: false });
      expect(await store().getProcess(testRun.id)).toMatchObject({ replayOf: null, test: true });
      expect(await store().getProcess(testReplay.id)).toMatchObject({ replayOf: original.id, test: true });
    });

    it('keeps replayOf and test through start and finish', async () => {
      const process = newProcess({ replayOf: newId(), test: true });
      await store().createProcess(process);
      await store().startProcess(process.id, START);
      await store().finishProcess(process.id, finishOf());
      expect(await store().getProcess(process.id)).toMatchObject({ replayOf: process.replayOf, test: true, status: 'completed' });
    });

    it('keeps inputs of any JSON shape', async () => {
      const inputs = [
        { headers: { 'x-sig': 'sha256=ab' }, body: { items: [1, 2.5, null, true], note: 'naïve “quotes” \u{1F600}' } },
        'plain text body',
        [1, [2, [3]]],
        null,
      ];
      for (const input of inputs) {
        const process = newProcess({ input });
        await store().createProcess(process);
        expect((await store().getProcess(process.id))?.input).toEqual(input);
      }
    });

    it('stores times in canonical UTC ISO form', async () => {
      const process = newProcess({ createdAt: '2024-05-01T12:00:00+02:00' });
      await store().createProcess(process);
      expect((await store().getProcess(process.id))?.createdAt).toBe('2024-05-01T10:00:00.000Z');
    });

    it('refuses a second process with the same id and keeps the first', async () => {
      const process = newProcess();
      await store().createProcess(process);
      await expect(store().createProcess({ ...process, requestId: 'other' })).rejects.toThrow(ConflictError);
      expect((await store().getProcess(process.id))?.requestId).toBe(process.requestId);
    });

    it('moves a process from queued to running to completed', async () => {
      const process = newProcess();
      await store().createProcess(process);

      expect(await store().startProcess(process.id, START)).toBe(true);
      const running = await store().getProcess(process.id);
      expect(running).toEqual({ ...queuedRecord(process), status: 'running', ...START });

      const finish = finishOf({ finishedAt: '2024-03-01T10:00:01.250Z', durationMs: 1250 });
      expect(await store().finishProcess(process.id, finish)).toBe(true);
      expect(await store().getProcess(process.id)).toEqual({ ...running, ...finish });
    });

    it('answers a process state (status and attempts) at each step, and null for an unknown id', async () => {
      const process = newProcess();
      await store().createProcess(process);
      expect(await store().processState(process.id)).toEqual({ status: 'queued', attempts: 0 });
      await store().startProcess(process.id, { ...START, attempts: 3 });
      expect(await store().processState(process.id)).toEqual({ status: 'running', attempts: 3 });
      await store().finishProcess(process.id, finishOf({ status: 'failed', output: null, error: { code: 'worker_lost', message: 'w' } }));
      expect(await store().processState(process.id)).toEqual({ status: 'failed', attempts: 3 });
      await store().deleteProcess(process.id);
      expect(await store().processState(process.id)).toBeNull();
    });

    it('lets another worker take over a running process', async () => {
      const process = newProcess();
      await store().createProcess(process);
      await store().startProcess(process.id, START);
      const takeover = { startedAt: '2024-03-01T10:00:30.000Z', worker: 'worker-b:99', attempts: 2 };
      expect(await store().startProcess(process.id, takeover)).toBe(true);
      expect(await store().getProcess(process.id)).toMatchObject({ status: 'running', ...takeover });
    });

    it('finishes a process only once: later finishes and starts change nothing', async () => {
      const process = newProcess();
      await store().createProcess(process);
      await store().startProcess(process.id, START);
      await store().finishProcess(process.id, finishOf());
      const finished = await store().getProcess(process.id);

      const late = finishOf({ status: 'aborted', output: null, error: { code: 'timeout', message: 'late' }, logs: [] });
      expect(await store().finishProcess(process.id, late)).toBe(false);
      expect(await store().startProcess(process.id, { ...START, attempts: 2 })).toBe(false);
      expect(await store().getProcess(process.id)).toEqual(finished);
    });

    it.each(['failed', 'aborted'] as const)('keeps a %s process final', async (status) => {
      const process = newProcess();
      await store().createProcess(process);
      await store().finishProcess(process.id, finishOf({ status, output: null, error: { code: 'internal_error', message: 'y' } }));
      expect(await store().finishProcess(process.id, finishOf())).toBe(false);
      expect(await store().startProcess(process.id, START)).toBe(false);
      expect((await store().getProcess(process.id))?.status).toBe(status);
    });

    it('finishes a process straight from queued (a job skipped because its deadline passed)', async () => {
      const process = newProcess();
      await store().createProcess(process);
      const skipped = finishOf({
        status: 'aborted',
        output: null,
        error: { code: 'timeout', message: 'deadline passed before a worker took the job' },
        logs: [],
        durationMs: null,
      });
      expect(await store().finishProcess(process.id, skipped)).toBe(true);
      expect(await store().getProcess(process.id)).toEqual({ ...queuedRecord(process), ...skipped });
    });

    it('records the start with the finish when the process was never marked running', async () => {
      const process = newProcess();
      await store().createProcess(process);
      const { start: _omitted, ...finish } = finishOf({ status: 'completed', output: { ok: true } });
      const start = { startedAt: '2026-01-02T03:04:05.678Z', worker: 'worker-7', attempts: 2 };
      expect(await store().finishProcess(process.id, { ...finish, start })).toBe(true);
      expect(await store().getProcess(process.id)).toEqual({ ...queuedRecord(process), ...finish, ...start });
    });

    it('keeps the running mark when a finish carries no start', async () => {
      const process = newProcess();
      await store().createProcess(process);
      await store().startProcess(process.id, START);
      const { start: _omitted, ...finish } = finishOf();
      await store().finishProcess(process.id, finish);
      expect(await store().getProcess(process.id)).toMatchObject({ startedAt: START.startedAt, worker: START.worker, attempts: START.attempts, status: finish.status });
    });

    it('records a failure with its error and logs', async () => {
      const process = newProcess();
      await store().createProcess(process);
      await store().startProcess(process.id, START);
      const failure = finishOf({ status: 'failed', output: null, error: { code: 'scenario_failed', message: 'boom' } });
      await store().finishProcess(process.id, failure);
      expect(await store().getProcess(process.id)).toMatchObject({
        status: 'failed',
        error: failure.error,
        logs: SAMPLE_LOGS,
        output: null,
      });
    });

    it('answers false for starting or finishing an unknown process, and creates nothing', async () => {
      const id = newId();
      expect(await store().startProcess(id, START)).toBe(false);
      expect(await store().finishProcess(id, finishOf())).toBe(false);
      expect(await store().getProcess(id)).toBeNull();
      expect((await store().listProcesses()).items).toEqual([]);
    });

    it('deletes a process once and leaves the others', async () => {
      const [gone, kept] = await seedProcesses(store(), 2);
      expect(await store().deleteProcess(gone!.id)).toBe(true);
      expect(await store().getProcess(gone!.id)).toBeNull();
      expect(await store().deleteProcess(gone!.id)).toBe(false);
      expect(await store().getProcess(kept!.id)).toEqual(queuedRecord(kept!));
    });

    it('prunes the records created before a time, whatever their status, and answers how many', async () => {
      const old = [
        ...(await seedProcesses(store(), 3, { createdAt: isoAt(0) })),
        ...(await seedProcesses(store(), 2, { createdAt: isoAt(59) })),
      ];
      await store().finishProcess(old[0]!.id, finishOf());
      await store().startProcess(old[1]!.id, START);
      const atCutoff = await seedProcesses(store(), 1, { createdAt: isoAt(60) });
      const newer = await seedProcesses(store(), 2, { createdAt: isoAt(120) });

      expect(await store().pruneProcesses(new Date(isoAt(60)))).toBe(5);
      for (const p of old) expect(await store().getProcess(p.id)).toBeNull();
      for (const p of [...atCutoff, ...newer]) expect(await store().getProcess(p.id)).not.toBeNull();
      expect(await store().pruneProcesses(new Date(isoAt(60)))).toBe(0);
    });

    it('prunes a large backlog completely', async () => {
      await seedProcesses(store(), 1100, { createdAt: isoAt(0) });
      const kept = await seedProcesses(store(), 3, { createdAt: isoAt(10) });
      expect(await store().pruneProcesses(new Date(isoAt(5)))).toBe(1100);
      expect((await store().listProcesses()).items.map((p) => p.id).sort()).toEqual(kept.map((p) => p.id).sort());
    });
  });
}
