'use strict';

const { statSync } = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');
const { costPerProcess } = require('./cost-model');
const { sampleProcesses, waitForQuiet } = require('./proc-sampler');

const REQUEST_TIMEOUT_S = 10;
const DRAIN_POLL_MS = 50;
const DRAIN_LIMIT_MS = 300_000;

function sizeOf(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Polls until the backlog is gone: no job pending in BullMQ and no process record queued or running.
 * Answers the time it happened (ms since the epoch), or null past `DRAIN_LIMIT_MS`.
 */
async function waitDrained(probe, admin) {
  const limit = Date.now() + DRAIN_LIMIT_MS;
  while (Date.now() < limit) {
    if ((await probe.pending()) === 0 && (await admin.idle())) return Date.now();
    await sleep(DRAIN_POLL_MS);
  }
  return null;
}

/**
 * One case: a warm-up run (discarded; for async cases the backlog it leaves is drained), then the
 * measured run with RSS/CPU sampling of `ctx.pids`; for async cases, then the time until the backlog
 * is processed. With `ctx.costMeter` (stack runs), also the cost per process (`breakdown`, see
 * cost-model.js): over the measured run ÷ 2xx responses; for async cases also over the drain ÷ the
 * backlog (`drain`) and over both ÷ the accepted processes (`endToEnd`). Everything is raced against
 * a crash of the processes under test.
 */
async function runCase(ctx, spec) {
  const { driver, children, options } = ctx;
  const load = (seconds) =>
    children.guard(driver.run({ ...spec.request, connections: spec.connections, durationS: seconds, timeoutS: REQUEST_TIMEOUT_S }));
  let quiet = null;
  if (options.waitQuietS > 0) quiet = await children.guard(waitForQuiet(options.waitQuietS));
  if (options.warmupS > 0) await load(options.warmupS);
  if (spec.drain) await children.guard(waitDrained(spec.drain.probe, spec.drain.admin));

  const logSizes = Object.fromEntries(Object.entries(ctx.logs ?? {}).map(([name, file]) => [name, sizeOf(file)]));
  const pids = { ...ctx.pids, driver: driver.pid };
  const meter = ctx.costMeter;
  const usageAtStart = meter ? await meter.begin() : null;
  const sampler = sampleProcesses(pids);
  // Async: the load and the drain of its backlog, for the cost of a process end to end.
  const wholeSampler = spec.drain && meter ? sampleProcesses(pids) : null;
  const loadStartedAt = Date.now();
  const result = await load(options.durationS);
  const loadEndedAt = Date.now();
  const processes = sampler.stop();
  const breakdown = meter ? costPerProcess(processes, await meter.since(usageAtStart), result.ok) : null;
  const logBytes = Object.fromEntries(Object.entries(ctx.logs ?? {}).map(([name, file]) => [name, sizeOf(file) - logSizes[name]]));

  let drain = null;
  if (spec.drain) {
    const backlog = await spec.drain.probe.pending();
    const drainUsageAtStart = meter ? await meter.begin() : null;
    const drainSampler = sampleProcesses(ctx.pids);
    const drainedAt = await children.guard(waitDrained(spec.drain.probe, spec.drain.admin));
    const drainProcesses = drainSampler.stop();
    const wholeProcesses = wholeSampler?.stop();
    if (breakdown) {
      breakdown.drain = costPerProcess(drainProcesses, await meter.since(drainUsageAtStart), backlog);
      breakdown.endToEnd = costPerProcess(wholeProcesses, await meter.since(usageAtStart), result.ok);
    }
    const totalS = drainedAt === null ? null : (drainedAt - loadStartedAt) / 1000;
    const afterS = drainedAt === null ? null : (drainedAt - loadEndedAt) / 1000;
    drain = {
      accepted: result.ok,
      backlogAtLoadEnd: backlog,
      drained: drainedAt !== null,
      loadS: (loadEndedAt - loadStartedAt) / 1000,
      drainAfterLoadS: afterS,
      totalS,
      // End to end: every accepted process, from the first request until the last record is final.
      processesPerS: totalS ? result.ok / totalS : null,
      // The worker alone, on the backlog left when the load stopped (meaningful when that is large).
      backlogPerS: afterS && backlog > 0 ? backlog / afterS : null,
      processes: drainProcesses,
    };
  }
  return {
    name: spec.name,
    connections: spec.connections,
    method: spec.request.method,
    path: new URL(spec.request.url).pathname + new URL(spec.request.url).search,
    bodyBytes: spec.request.body ? Buffer.byteLength(spec.request.body) : 0,
    ...result,
    processes,
    ...(ctx.logs ? { logBytes } : {}),
    ...(quiet === null ? {} : { machineWasQuietAtStart: quiet }),
    ...(drain ? { drain } : {}),
    ...(breakdown ? { breakdown } : {}),
  };
}

module.exports = { runCase, waitDrained };
