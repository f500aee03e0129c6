'use strict';
// A worker-like process for the multi-process test: opens the shared SQLite file, says 'ready', waits
// for 'go' (so that every writer starts at once), then creates, starts and finishes its processes.
const { openStore, newId } = require('@webrequests/store');

/**
 * Writes what one service instance would: an endpoint of its own, then `count` processes taken through
 * queued → running → completed, touching the endpoint now and then. Answers the endpoint's id.
 */
async function writeProcesses(store, label, count) {
  const scenario = await store.createScenario({ name: `writer ${label}`, source: 'return {};' });
  const endpoint = await store.createWebRequest({ name: label, urlId: `writers/${label}`, scriptId: scenario.id });
  for (let i = 0; i < count; i += 1) {
    const id = newId();
    const now = () => new Date().toISOString();
    await store.createProcess({
      id, webrequestId: endpoint.id, scriptId: scenario.id, async: i % 2 === 0,
      requestId: `${label}-${i}`, input: { i }, createdAt: now(),
    });
    if (!(await store.startProcess(id, { startedAt: now(), worker: label, attempts: 1 }))) throw new Error(`start ${id}`);
    const finish = { status: 'completed', output: { i }, error: null, logs: [], finishedAt: now(), durationMs: 1 };
    if (!(await store.finishProcess(id, finish))) throw new Error(`finish ${id}`);
    // Read-then-write transactions are where SQLite can fail at once despite the busy timeout.
    if (i % 10 === 0) await store.updateWebRequest(endpoint.id, { description: `after ${i}` });
  }
  return endpoint.id;
}

async function main() {
  const [file, label, count] = process.argv.slice(2);
  const store = await openStore(`sqlite:${file}`);
  try {
    const go = new Promise((resolve) => process.once('message', resolve));
    process.send('ready');
    await go;
    await writeProcesses(store, label, Number(count));
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().then(
    () => process.disconnect(),
    (err) => {
      const cause = err.cause ? ` (cause: ${err.cause.code ?? err.cause})` : '';
      console.error(`${err.name} ${err.code ?? ''}: ${err.message}${cause}`);
      process.exitCode = 1;
      process.disconnect();
    },
  );
}

module.exports = { writeProcesses };
