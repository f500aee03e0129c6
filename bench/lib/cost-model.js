'use strict';

const { openRedisStats } = require('./redis-stats');
const { isRead, storeOperations } = require('./store-stats');

/** `after` minus `before` per key, keys with nothing in between left out. */
function countsBetween(before, after) {
  const delta = {};
  for (const [key, count] of Object.entries(after)) {
    const used = count - (before[key] ?? 0);
    if (used > 0) delta[key] = used;
  }
  return delta;
}

/** Each count divided by `processes`, the largest first. */
function perProcessSorted(counts, processes) {
  return Object.fromEntries(
    Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .map(([key, count]) => [key, count / processes]),
  );
}

/** Commands that run a Lua script or function: one client call each, whatever the script runs. */
const SCRIPT_COMMANDS = ['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro'];

const sum = (counts) => Object.values(counts).reduce((total, count) => total + count, 0);

/**
 * Reads what the stack has done so far (Redis calls per command, each service's store calls per
 * method), to take the difference over a window. The services' /metrics are read outside the Redis
 * readings (before at the start, after at the end), since a scrape of the ingress makes Redis calls of
 * its own (the queue gauge).
 */
async function openCostMeter({ redisUrl, metricsUrls }) {
  const redis = await openRedisStats(redisUrl);
  const readStores = async () =>
    Object.fromEntries(await Promise.all(Object.entries(metricsUrls).map(async ([name, url]) => [name, await storeOperations(url)])));
  return {
    /** A reading at the start of a window. */
    async begin() {
      const store = await readStores();
      return { store, redis: await redis.commandCalls() };
    },
    /** `{ redis: { command: calls }, store: { ingress: { method: calls }, worker: … } }` since `start`. */
    async since(start) {
      const redisCalls = await redis.commandCalls();
      const store = await readStores();
      return {
        redis: countsBetween(start.redis, redisCalls),
        store: Object.fromEntries(Object.entries(store).map(([name, operations]) => [name, countsBetween(start.store[name] ?? {}, operations)])),
      };
    },
    close: () => redis.close(),
  };
}

/** One service's store calls per process: reads, writes and each method. */
function storeCost(operations, processes) {
  let reads = 0;
  let writes = 0;
  for (const [name, count] of Object.entries(operations)) {
    if (isRead(name)) reads += count;
    else writes += count;
  }
  return { reads: reads / processes, writes: writes / processes, operations: perProcessSorted(operations, processes) };
}

/**
 * The cost model of one window: what each process cost, on average, over `processes` processes.
 * `cpu` is a `sampleProcesses` answer, `usage` a `since` answer. CPU in µs: `ingress`, `worker` (that
 * process alone), `sandbox` (the worker's child processes summed), `redis`, `driver` (the load driver);
 * Redis calls (`total` and per command, as Redis counts them: a script's EVALSHA and each command the
 * script runs are calls of their own; `scripts`, the EVALSHA/EVAL/FCALL calls among them) and store
 * calls (per service: reads, writes, per method). Null when no process was made.
 */
function costPerProcess(cpu, usage, processes) {
  if (!processes) return null;
  const micros = (seconds) => (seconds === null || seconds === undefined ? null : (seconds * 1e6) / processes);
  return {
    processes,
    cpuUs: {
      ingress: micros(cpu.ingress?.cpuSeconds),
      worker: micros(cpu.worker?.ownCpuSeconds),
      sandbox: micros(cpu.worker?.childCpuSeconds),
      redis: micros(cpu.redis?.cpuSeconds),
      driver: micros(cpu.driver?.cpuSeconds),
    },
    redisCalls: {
      total: sum(usage.redis) / processes,
      scripts: SCRIPT_COMMANDS.reduce((calls, command) => calls + (usage.redis[command] ?? 0), 0) / processes,
      commands: perProcessSorted(usage.redis, processes),
    },
    store: Object.fromEntries(Object.entries(usage.store).map(([name, operations]) => [name, storeCost(operations, processes)])),
  };
}

module.exports = { openCostMeter, costPerProcess };
