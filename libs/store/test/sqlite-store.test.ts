import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { UnavailableError } from '@webrequests/contracts';
import { newId, openStore, SqliteStore, type Store } from '@webrequests/store';
import Database from 'better-sqlite3';
import { collectPages, newProcess } from '../test-support/contract-fixtures';
import { describeStoreContract } from '../test-support/store-contract';

const { writeProcesses } = require('../test-support/concurrent-writer.js') as {
  writeProcesses: (store: Store, label: string, count: number) => Promise<string>;
};

const WRITER_SCRIPT = join(__dirname, '..', 'test-support', 'concurrent-writer.js');
const workDir = mkdtempSync(join(tmpdir(), 'webrequests-store-test-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A path in the test folder that no file has yet. */
function freshDbPath(): string {
  return join(workDir, `${newId()}.db`);
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

const files = new Map<Store, string>();

describeStoreContract(
  'SqliteStore on a file',
  async () => {
    const file = freshDbPath();
    const store = await openStore(`sqlite:${file}`);
    files.set(store, file);
    return store;
  },
  async (store) => {
    await store.close();
    removeDb(files.get(store)!);
    files.delete(store);
  },
);

describeStoreContract('SqliteStore in memory', () => openStore('sqlite::memory:'), (store) => store.close());

describe('SqliteStore on a file', () => {
  it('keeps its data across close and reopen', async () => {
    const file = freshDbPath();
    const first = await openStore(`sqlite:${file}`);
    const scenario = await first.createScenario({ name: 's', source: 'return {};' });
    const endpoint = await first.createWebRequest({ name: 'e', urlId: 'kept', scriptId: scenario.id, corsOrigins: ['*'] });
    const process = newProcess({ webrequestId: endpoint.id, scriptId: scenario.id });
    await first.createProcess(process);
    const record = await first.getProcess(process.id);
    await first.close();

    const second = await openStore(`sqlite:${file}`);
    try {
      expect(await second.getScenario(scenario.id)).toEqual(scenario);
      expect(await second.getWebRequestByUrlId('kept')).toEqual(endpoint);
      expect(await second.getProcess(process.id)).toEqual(record);
    } finally {
      await second.close();
    }
  });

  it('leaves the file in WAL mode, so that readers and a writer in other processes can share it', async () => {
    const file = freshDbPath();
    await (await openStore(`sqlite:${file}`)).close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('answers UnavailableError when the file cannot be opened', async () => {
    expect(() => new SqliteStore(workDir)).toThrow(UnavailableError);
    await expect(openStore(`sqlite:${workDir}`)).rejects.toThrow(UnavailableError);
  });

  it('refuses a file written by a newer schema rather than misreading it', async () => {
    const file = freshDbPath();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    await expect(openStore(`sqlite:${file}`)).rejects.toThrow(/schema version 99/);
  });
});

describe('SqliteStore on a file of schema version 1', () => {
  const ids = { scenario: newId(), endpoint: newId(), done: newId(), queued: newId() };

  /** A file as version 1 left it: the old tables, an endpoint with CORS origins and two records. */
  function versionOneFile(): string {
    const file = freshDbPath();
    const raw = new Database(file);
    try {
      raw.exec(readFileSync(join(__dirname, '..', 'test-support', 'sqlite-schema-v1.sql'), 'utf8'));
      const at = '2024-03-01T00:00:00.000Z';
      raw.prepare(`INSERT INTO scenarios VALUES (?, 'old', '', 'return {};', ?, ?)`).run(ids.scenario, at, at);
      raw
        .prepare(`INSERT INTO webrequests VALUES (?, 'old endpoint', 'kept', 'old/path', ?, 'active', '["*"]', ?, ?)`)
        .run(ids.endpoint, ids.scenario, at, at);
      raw
        .prepare(
          `INSERT INTO processes (id, webrequestId, scriptId, async, status, requestId, input, output, error, logs,
             createdAt, startedAt, finishedAt, durationMs, attempts, worker)
           VALUES (?, ?, ?, 0, 'completed', 'req-1', '{"a":1}', '{"ok":true}', NULL, '[]', ?, ?, ?, 5, 1, 'w1')`,
        )
        .run(ids.done, ids.endpoint, ids.scenario, at, at, at);
      raw
        .prepare(
          `INSERT INTO processes (id, webrequestId, scriptId, async, status, requestId, createdAt)
           VALUES (?, ?, ?, 1, 'queued', 'req-2', ?)`,
        )
        .run(ids.queued, ids.endpoint, ids.scenario, at);
    } finally {
      raw.close();
    }
    return file;
  }

  it('migrates it in place to version 2 and reads its old rows as before, with the new fields at their defaults', async () => {
    const file = versionOneFile();
    const store = await openStore(`sqlite:${file}`);
    try {
      expect(await store.getWebRequest(ids.endpoint)).toStrictEqual({
        id: ids.endpoint,
        name: 'old endpoint',
        description: 'kept',
        urlId: 'old/path',
        scriptId: ids.scenario,
        status: 'active',
        corsOrigins: ['*'],
        createdAt: '2024-03-01T00:00:00.000Z',
        updatedAt: '2024-03-01T00:00:00.000Z',
      });
      expect(await store.getProcess(ids.done)).toMatchObject({
        status: 'completed',
        input: { a: 1 },
        output: { ok: true },
        worker: 'w1',
        replayOf: null,
        test: false,
      });
      expect((await store.listProcesses()).items.map((p) => p.id)).toEqual([ids.queued, ids.done].sort().reverse());
      expect((await store.listProcesses({ test: true })).items).toEqual([]);
    } finally {
      await store.close();
    }
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(2);
    } finally {
      raw.close();
    }
  });

  it('takes the new fields and secrets once migrated, and opens again without migrating twice', async () => {
    const file = versionOneFile();
    const first = await openStore(`sqlite:${file}`);
    await first.updateWebRequest(ids.endpoint, { maxConcurrent: 2, auth: { type: 'bearer', secret: 'token' } });
    const replay = newProcess({ webrequestId: ids.endpoint, scriptId: ids.scenario, replayOf: ids.done, test: true });
    await first.createProcess(replay);
    await first.putSecret({ name: 'token', keyId: 'k', iv: 'i', tag: 't', ciphertext: 'c' });
    await first.close();

    const second = await openStore(`sqlite:${file}`);
    try {
      expect(await second.getWebRequest(ids.endpoint)).toMatchObject({
        corsOrigins: ['*'],
        maxConcurrent: 2,
        auth: { type: 'bearer', secret: 'token' },
      });
      expect((await second.listProcesses({ test: true, replayOf: ids.done })).items.map((p) => p.id)).toEqual([replay.id]);
      expect((await second.listSecrets()).items.map((s) => s.name)).toEqual(['token']);
    } finally {
      await second.close();
    }
  });
});

describe('openStore', () => {
  it('takes a relative sqlite path from the current folder and creates its missing folders', async () => {
    const target = join(workDir, 'nested', newId(), 'store.db');
    const store = await openStore(`sqlite:${relative(process.cwd(), target)}`);
    await store.close();
    expect(existsSync(target)).toBe(true);
  });

  it('gives each sqlite::memory: store its own database', async () => {
    const a = await openStore('sqlite::memory:');
    const b = await openStore('sqlite::memory:');
    await a.createScenario({ name: 'only in a', source: '' });
    expect((await b.listScenarios()).items).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it.each(['postgres://admin:s3cret@db/webrequests', 'data/webrequests.db', ''])(
    'names the accepted forms for %p without echoing the URL',
    async (url) => {
      const error = await openStore(url).then(() => null, (err: Error) => err);
      expect(error?.message).toMatch(/sqlite:<path>.*sqlite::memory:.*mongodb:\/\/.*mongodb\+srv:\/\//);
      expect(error?.message).not.toContain('s3cret');
    },
  );

  it.each(['sqlite:', 'sqlite://var/data.db'])('refuses %p and shows the sqlite:<path> form', async (url) => {
    await expect(openStore(url)).rejects.toThrow(/sqlite:<path>/);
  });
});

interface Writer {
  ready: Promise<void>;
  done: Promise<{ code: number | null; stderr: string }>;
  go(): void;
  stop(): void;
}

/** Forks a child process that writes `count` processes to `file` once told to go. */
function startWriter(file: string, label: string, count: number): Writer {
  const child = fork(WRITER_SCRIPT, [file, label, String(count)], {
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stderr })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void done.then(({ code }) => reject(new Error(`${label} ended (${code}) before it was ready: ${stderr}`)));
  });
  return {
    ready,
    done,
    go: () => child.send('go'),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

describe('several processes on one SQLite file', () => {
  it('lets three child processes and this one create and finish 200 processes each at once', async () => {
    const file = freshDbPath(); // not created yet: the children race to create file and schema
    const labels = ['child-1', 'child-2', 'child-3'];
    const writers = labels.map((label) => startWriter(file, label, 200));
    const store = await openStore(`sqlite:${file}`);
    try {
      await Promise.all(writers.map((writer) => writer.ready));
      writers.forEach((writer) => writer.go());
      const [, ...results] = await Promise.all([
        writeProcesses(store, 'parent', 200),
        ...writers.map((writer) => writer.done),
      ]);
      for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });

      const endpoints = (await store.listWebRequests()).items;
      expect(endpoints.map((e) => e.name).sort()).toEqual([...labels, 'parent'].sort());
      for (const endpoint of endpoints) {
        const { items } = await store.listProcesses({ webrequestId: endpoint.id, limit: 500 });
        expect(items).toHaveLength(200);
        expect(items.every((p) => p.status === 'completed' && p.worker === endpoint.name)).toBe(true);
      }
      const all = await collectPages((cursor) => store.listProcesses({ cursor, limit: 500 }));
      expect(new Set(all.items.map((p) => p.id)).size).toBe(800);
    } finally {
      writers.forEach((writer) => writer.stop());
      await store.close();
    }
  });
});

describe('SqliteStore process writes', () => {
  it('batches the writes of one event-loop turn and still fails a bad one on its own', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const first = newProcess();
      await store.createProcess(first);
      const fresh = Array.from({ length: 20 }, () => newProcess());
      // Issued in one turn: one transaction; the duplicate fails alone, the others are all written.
      const results = await Promise.allSettled([...fresh.map((p) => store.createProcess(p)), store.createProcess(first)]);
      expect(results.slice(0, 20).every((r) => r.status === 'fulfilled')).toBe(true);
      expect(results[20]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: 'conflict' }) });
      for (const p of fresh) expect((await store.getProcess(p.id))?.status).toBe('queued');
    } finally {
      await store.close();
    }
  });

  it('writes what is pending when it closes', async () => {
    const file = freshDbPath();
    const store = await openStore(`sqlite:${file}`);
    const process = newProcess();
    const written = store.createProcess(process);
    await store.close();
    await expect(written).resolves.toBeUndefined();
    const reopened = await openStore(`sqlite:${file}`);
    try {
      expect((await reopened.getProcess(process.id))?.id).toBe(process.id);
    } finally {
      await reopened.close();
      removeDb(file);
    }
  });
});
