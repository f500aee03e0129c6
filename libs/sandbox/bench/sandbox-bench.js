#!/usr/bin/env node
'use strict';

/**
 * Measures the sandbox alone: a no-op scenario (`return { ok: true }`) through a pool of threads.
 *
 *   npx tsc -b libs/sandbox && node libs/sandbox/bench/sandbox-bench.js [--threads 2] [--runs 2000]
 *     [--in-flight 64] [--memory-runs 20000] [--memory-mb 128] [--from <path of another build>]
 *
 * Prints, as JSON: ms per run with one run in flight (latency), runs/s with `--in-flight` runs in
 * flight (throughput), the CPU the process used per run in that phase, and the process RSS (host and
 * sandbox threads together) after `--memory-runs` more runs, with its peak on the way. `--from` loads
 * another build of the package instead of '@webrequests/sandbox' (a before/after comparison: compile
 * the older source somewhere whose node_modules resolves vm2 and piscina).
 */
const from = process.argv.indexOf('--from');
const { createThreadSandbox } = require(from === -1 ? '@webrequests/sandbox' : require('node:path').resolve(process.argv[from + 1]));

const NOOP_SOURCE = 'return { ok: true };';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
}

const options = {
  threads: option('threads', 2),
  runs: option('runs', 2000),
  inFlight: option('in-flight', 64),
  memoryRuns: option('memory-runs', 20_000),
  memoryMb: option('memory-mb', 128),
};

const variables = {
  event: { id: 'wr-1', type: '$webRequest', async: false },
  script: { id: 'noop' },
  user: { id: null },
  url: 'http://localhost:8080/api/webrequest/noop',
  method: 'GET',
  headers: { host: 'localhost:8080', accept: '*/*' },
  cookies: {},
  query: {},
  body: {},
  files: [],
  rawBody: '',
};

function noop() {
  return { scriptId: 'noop', scriptVersion: '1', source: NOOP_SOURCE, variables, deadline: Date.now() + 30_000 };
}

async function runOne(sandbox) {
  const outcome = await sandbox.run(noop());
  if (outcome.kind !== 'output' || outcome.output.ok !== true) throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
}

/** Runs `total` no-op runs keeping `inFlight` of them going; answers the elapsed ms and CPU ms. */
async function drive(sandbox, total, inFlight, onProgress = () => undefined) {
  let started = 0;
  const cpuBefore = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  async function lane() {
    while (started < total) {
      started++;
      await runOne(sandbox);
      onProgress();
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane));
  const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  return { elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const mb = (bytes) => Math.round(bytes / 2 ** 20);
const round = (value, digits = 3) => Number(value.toFixed(digits));

async function main() {
  const sandbox = createThreadSandbox({ threads: options.threads, memoryMb: options.memoryMb });
  try {
    // Both threads started and the scenario compiled on each before anything is timed.
    await drive(sandbox, 200, options.threads * 4);

    const serial = await drive(sandbox, options.runs, 1);
    const loaded = await drive(sandbox, options.runs, options.inFlight);

    let peakRss = process.memoryUsage.rss();
    let done = 0;
    const memory = await drive(sandbox, options.memoryRuns, options.inFlight, () => {
      if (++done % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
    });
    const rssAfter = process.memoryUsage.rss();

    const result = {
      node: process.version,
      threads: options.threads,
      oneInFlight: { runs: options.runs, msPerRun: round(serial.elapsedMs / options.runs), runsPerSecond: Math.round(options.runs / (serial.elapsedMs / 1000)) },
      manyInFlight: {
        inFlight: options.inFlight,
        runs: options.runs,
        msPerRun: round(loaded.elapsedMs / options.runs),
        runsPerSecond: Math.round(options.runs / (loaded.elapsedMs / 1000)),
        cpuMsPerRun: round(loaded.cpuMs / options.runs),
      },
      memory: {
        runs: options.memoryRuns,
        runsPerSecond: Math.round(options.memoryRuns / (memory.elapsedMs / 1000)),
        rssMbAfter: mb(rssAfter),
        rssMbPeak: mb(Math.max(peakRss, rssAfter)),
      },
      threadsKilled: sandbox.threadsKilled,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await sandbox.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
