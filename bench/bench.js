#!/usr/bin/env node
'use strict';

/**
 * `npm run bench`: measures the webrequests stack against a bare Express baseline on this machine.
 * Starts its own Redis (obtainRedis, spare port), the baseline app, then for each log level one
 * worker + one ingress (SQLite in a temp folder, or STORE_URL), registers the scenarios through the
 * admin API and drives each case with autocannon from a separate load-driver process. Prints the table,
 * the ratios and the goals (met / not met: a missed goal never fails the run; a crash does), and
 * writes bench/results/<YYYY-MM-DD>.json. See bench/README.md.
 */
const { createHmac, randomBytes } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join, relative } = require('node:path');
const { obtainRedis } = require('@webrequests/local-redis');
const { AdminClient } = require('./lib/admin-client');
const { readOptions } = require('./lib/args');
const { ChildSet } = require('./lib/child-processes');
const { ownMongoStore } = require('./lib/ferretdb-postgres');
const { openCostMeter } = require('./lib/cost-model');
const { startLoadDriver } = require('./lib/load-client');
const { webhookBody } = require('./lib/payload');
const { redisPidOf } = require('./lib/proc-sampler');
const { openQueueProbe } = require('./lib/queue-probe');
const { GOALS, goalsOf, noisyCases, ratiosOf, render, storeGoalsOf } = require('./lib/report');
const { runCase, waitDrained } = require('./lib/run-case');
const { startStack } = require('./lib/stack');
const profileSummary = require('./profile-summary');

const ROOT = join(__dirname, '..');
const BASELINE_CASES = ['baseline-c1', 'baseline-c64', 'baseline-json-10k-c64'];
// The protection pair runs open, signed, signed, open (ABBA), so that a stack warming up or slowing down
// over the run weighs on both sides alike.
const STACK_CASES = ['sync-noop-c1', 'sync-noop-c64', 'sync-json-10k-c64', 'async-c64', 'sync-open-c1', 'sync-signed-c1', 'sync-signed-c64', 'sync-open-c64'];
/**
 * The body of the protection cases (a GitHub ping, small) and the secret its endpoint checks. The
 * `signed` endpoint verifies X-Hub-Signature-256 (hmac, preset github) and de-duplicates on a fresh
 * X-GitHub-Delivery per request (one Redis SET NX each); the `open` one is the same scenario with no
 * protection, so the pair measures what authentication and de-duplication cost.
 */
const SIGNED_BODY = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
const SIGNING_SECRET = randomBytes(20).toString('hex');
const NOOP_SOURCE = 'return { ok: true };';
const ECHO_SOURCE = 'return { $body: body };';

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

function localDate(date = new Date()) {
  const two = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** A store URL fit for printing: no password. */
function redacted(url) {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

function gitState() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

function machine(redisVersion) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    loadAverage1m: os.loadavg()[0],
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    redis: redisVersion,
    git: gitState(),
  };
}

const wanted = (options, name) => !options.only || options.only.includes(name);

/** Fails fast, before any load, if an endpoint does not answer what the cases expect. */
async function checkAnswers(targets, body, admin) {
  const noop = await fetch(targets.noop);
  const noopText = await noop.text();
  if (noop.status !== 200 || noopText !== '{"ok":true}') throw new Error(`${targets.noop} answered ${noop.status} ${noopText.slice(0, 300)}`);
  const echo = await fetch(targets.echo, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const echoText = await echo.text();
  if (echo.status !== 200 || echoText !== body) throw new Error(`${targets.echo} did not echo the body: ${echo.status} ${echoText.slice(0, 300)}`);
  if (!admin) return;
  const accepted = await fetch(`${targets.noop}?async=true`);
  const processId = accepted.headers.get('x-process-id');
  if (accepted.status !== 200 || !processId) throw new Error(`async request answered ${accepted.status} without X-Process-Id`);
  for (let i = 0; i < 100; i++) {
    const record = await admin.getProcess(processId);
    if (record.status === 'completed') return;
    if (record.status === 'failed' || record.status === 'aborted') throw new Error(`async process ${processId} ended ${record.status}: ${JSON.stringify(record.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`async process ${processId} did not complete within 10 s`);
}

/** The signed endpoint refuses a wrong signature and runs a right one; the open one runs anything. */
async function checkSigned(targets) {
  const send = (url, signature) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-delivery': randomBytes(8).toString('hex'), 'x-hub-signature-256': signature }, body: SIGNED_BODY });
  const good = `sha256=${createHmac('sha256', SIGNING_SECRET).update(SIGNED_BODY).digest('hex')}`;
  const statuses = [(await send(targets.signed, good)).status, (await send(targets.signed, `sha256=${'0'.repeat(64)}`)).status, (await send(targets.open, 'none')).status];
  if (statuses.join() !== '200,401,200') throw new Error(`the protection endpoints answered ${statuses.join(', ')} instead of 200, 401, 200`);
}

/** Case specs for a server whose noop and echo endpoints are at `targets`. */
function specsFor(names, targets, body, drain) {
  const json = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
  const all = {
    'baseline-c1': { request: { url: targets.noop, method: 'GET' }, connections: 1 },
    'baseline-c64': { request: { url: targets.noop, method: 'GET' }, connections: 64 },
    'baseline-json-10k-c64': { request: { url: targets.echo, ...json }, connections: 64 },
    'sync-noop-c1': { request: { url: targets.noop, method: 'GET' }, connections: 1 },
    'sync-noop-c64': { request: { url: targets.noop, method: 'GET' }, connections: 64 },
    'sync-json-10k-c64': { request: { url: targets.echo, ...json }, connections: 64 },
    'async-c64': { request: { url: `${targets.noop}?async=true`, method: 'GET' }, connections: 64, drain },
  };
  if (targets.signed) {
    const github = { 'content-type': 'application/json', 'x-github-event': 'ping' };
    const signature = `sha256=${createHmac('sha256', SIGNING_SECRET).update(SIGNED_BODY).digest('hex')}`;
    const open = { url: targets.open, method: 'POST', headers: github, body: SIGNED_BODY, uniqueHeader: 'x-github-delivery' };
    const signed = { url: targets.signed, method: 'POST', headers: { ...github, 'x-hub-signature-256': signature }, body: SIGNED_BODY, uniqueHeader: 'x-github-delivery' };
    Object.assign(all, {
      'sync-open-c1': { request: open, connections: 1 },
      'sync-signed-c1': { request: signed, connections: 1 },
      'sync-open-c64': { request: open, connections: 64 },
      'sync-signed-c64': { request: signed, connections: 64 },
    });
  }
  return names.map((name) => ({ name, ...all[name] }));
}

async function runCases(ctx, specs, label) {
  const cases = {};
  for (const spec of specs) {
    log(`${label}${spec.name}: ${ctx.options.warmupS} s warm-up + ${ctx.options.durationS} s…`);
    const result = await runCase(ctx, spec);
    cases[spec.name] = result;
    log(
      `  ${Math.round(result.rps)} rps, p50 ${result.latencyMs.p50?.toFixed(2)} ms, p99 ${result.latencyMs.p99?.toFixed(2)} ms, ` +
        `${result.errors + result.timeouts + result.non2xx} failed` +
        (result.drain ? `, drained at ${Math.round(result.drain.processesPerS ?? 0)} processes/s` : ''),
    );
  }
  return cases;
}

async function runBaseline(children, driver, options, body) {
  const names = BASELINE_CASES.filter((name) => wanted(options, name));
  if (names.length === 0) return {};
  const { child, message } = await children.start('baseline', join(__dirname, 'lib', 'baseline-server.js'), {
    env: process.env,
    logFile: join(options.tmpDir, 'baseline.log'),
  });
  try {
    const base = `http://127.0.0.1:${message.port}`;
    const targets = { noop: `${base}/noop`, echo: `${base}/echo` };
    await checkAnswers(targets, body, null);
    const ctx = { driver, children, options, pids: { baseline: child.pid } };
    return await runCases(ctx, specsFor(names, targets, body, null), '');
  } finally {
    await children.stop(child);
  }
}

async function runStack(children, driver, options, context, logLevel, index, sandbox = 'process', store = 'sqlite') {
  const label = [logLevel, ...(sandbox === 'process' ? [] : ['sandbox in worker threads']), ...(store === 'mongodb' ? ['store mongodb'] : [])].join(', ');
  const names = STACK_CASES.filter((name) => wanted(options, name));
  const queuePrefix = `{wrbench${index}}`;
  const stack = await startStack(children, {
    dir: options.tmpDir,
    redisUrl: context.redis.url,
    storeUrl: context.storeUrl,
    adminToken: context.adminToken,
    secretsKey: context.secretsKey,
    logLevel,
    workerConcurrency: options.workerConcurrency,
    sandboxProcesses: sandbox === 'thread' ? 0 : undefined,
    queuePrefix,
    execArgv: options.profile ? ['--cpu-prof', `--cpu-prof-dir=${context.profileDir}`] : [],
  });
  const pids = { ...stack.pids, redis: context.redisPid };
  const admin = new AdminClient(stack.baseUrl, context.adminToken);
  const probe = await openQueueProbe(context.redis.url, queuePrefix);
  const costMeter = await openCostMeter({ redisUrl: context.redis.url, metricsUrls: stack.metricsUrls });
  const registered = [];
  try {
    const tag = `${context.runId}-${logLevel}-${sandbox}`;
    registered.push(await admin.register({ name: `bench noop ${tag}`, urlId: `bench-${tag}/noop`, source: NOOP_SOURCE }));
    registered.push(await admin.register({ name: `bench echo ${tag}`, urlId: `bench-${tag}/echo`, source: ECHO_SOURCE }));
    const targets = { noop: `${stack.baseUrl}/api/webrequest/bench-${tag}/noop`, echo: `${stack.baseUrl}/api/webrequest/bench-${tag}/echo` };
    if (names.some((name) => name.startsWith('sync-open') || name.startsWith('sync-signed'))) {
      await admin.call('PUT', '/secrets/bench-github', { value: SIGNING_SECRET });
      registered.push(await admin.register({ name: `bench open ${tag}`, urlId: `bench-${tag}/open`, source: NOOP_SOURCE }));
      const protection = { auth: { type: 'hmac', preset: 'github', secret: 'bench-github' }, dedup: { windowSeconds: 600 } };
      registered.push(await admin.register({ name: `bench signed ${tag}`, urlId: `bench-${tag}/signed`, source: NOOP_SOURCE, extra: protection }));
      Object.assign(targets, { open: `${stack.baseUrl}/api/webrequest/bench-${tag}/open`, signed: `${stack.baseUrl}/api/webrequest/bench-${tag}/signed` });
      await checkSigned(targets);
    }
    await checkAnswers(targets, context.body, admin);
    const ctx = { driver, children, options, pids, logs: stack.logs, costMeter };
    const cases = await runCases(ctx, specsFor(names, targets, context.body, { probe, admin }), `[LOG_LEVEL=${label}] `);
    // An operator's store outlives the bench: leave it as it was (process records expire on their own).
    if (context.externalStore) {
      await children.guard(waitDrained(probe, admin));
      for (const r of registered) await admin.unregister(r).catch((error) => log(`cleanup: ${error.message}`));
    }
    return { logLevel, sandbox, store, label, pids: stack.pids, cases };
  } finally {
    await probe.close().catch(() => undefined);
    await costMeter.close().catch(() => undefined);
    log(`stopping the stack (LOG_LEVEL=${logLevel})…`);
    await stack.stop();
  }
}

function printProfiles(dir, pidNames) {
  const groups = profileSummary.summarizeDir(dir, pidNames);
  console.log(`\nCPU profiles in ${relative(process.cwd(), dir) || dir}:\n`);
  console.log(profileSummary.render(groups));
}

function save(results) {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.date}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

async function main() {
  const options = readOptions(process.argv.slice(2));
  if (options.help) {
    console.log(options.usage);
    return;
  }
  const startedAt = new Date();
  options.tmpDir = mkdtempSync(join(os.tmpdir(), 'webrequests-bench-'));
  const children = new ChildSet();
  let redis;
  let driver;
  let probe;
  let mongo;
  const stopEverything = async () => {
    await driver?.close().catch(() => undefined);
    await children.stopAll();
    await probe?.close().catch(() => undefined);
    // After the stack (it holds connections to FerretDB); FerretDB, then PostgreSQL, then their folder.
    await mongo?.stop().catch((error) => log(`stopping the MongoDB store: ${error.message}`));
    await redis?.stop().catch(() => undefined);
    rmSync(options.tmpDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping…`);
      void stopEverything().finally(() => process.exit(130));
    });
  }
  try {
    redis = await obtainRedis({ log });
    probe = await openQueueProbe(redis.url, '{wrbench-info}');
    const redisVersion = await probe.redisVersion();
    await probe.close();
    probe = undefined;
    driver = await startLoadDriver();
    const body = webhookBody();
    const externalStore = Boolean(process.env.STORE_URL);
    // --store mongodb: FerretDB on PostgreSQL of our own; a death of either fails the run like a crash.
    if (options.stores.includes('mongodb')) {
      mongo = ownMongoStore({ log, onCrash: (error) => children.reportCrash(error) });
      await mongo.start();
    }
    const sqliteLabel = 'sqlite (temp folder, one file per stack run)';
    const storeLabel = externalStore ? redacted(process.env.STORE_URL) : options.stores.map((store) => (store === 'mongodb' ? mongo.description : sqliteLabel)).join(' and ');
    const context = {
      redis,
      redisPid: redisPidOf(new URL(redis.url).port),
      externalStore,
      adminToken: randomBytes(24).toString('hex'),
      secretsKey: randomBytes(32).toString('base64'),
      runId: randomBytes(3).toString('hex'),
      body: body.text,
      profileDir: options.profile ? options.profileDir ?? join(__dirname, 'profiles', startedAt.toISOString().replace(/[:.]/g, '-')) : null,
    };
    if (context.profileDir) mkdirSync(context.profileDir, { recursive: true });
    log(`${os.cpus().length} CPUs, Node ${process.version}; Redis ${redisVersion} at ${redis.url}; store ${storeLabel}`);
    log(`worker concurrency ${options.workerConcurrency}; stack log levels: ${options.logLevels.join(', ')}; body ${body.bytes} bytes from ${body.source}`);

    const baseline = await runBaseline(children, driver, options, body.text);
    const runs = [];
    const pidNames = {};
    if (STACK_CASES.some((name) => wanted(options, name))) {
      const stacks = options.stores.flatMap((store) => options.logLevels.flatMap((level) => options.sandboxes.map((sandbox) => ({ store, level, sandbox }))));
      for (const [index, { store, level, sandbox }] of stacks.entries()) {
        // Each stack run gets a fresh store (a SQLite file; with --store mongodb a database of the bench's
        // FerretDB; for STORE_URL, fresh endpoints) and a fresh queue prefix.
        context.storeUrl = externalStore
          ? process.env.STORE_URL
          : store === 'mongodb'
            ? mongo.urlFor(`wrbench_${level}_${sandbox}`)
            : `sqlite:${join(options.tmpDir, `webrequests-${level}-${sandbox}.db`)}`;
        const run = await runStack(children, driver, options, context, level, index, sandbox, externalStore ? 'external' : store);
        pidNames[run.pids.ingress] = `ingress (LOG_LEVEL=${run.label})`;
        pidNames[run.pids.worker] = `worker (LOG_LEVEL=${run.label})`;
        runs.push({ ...run, ratios: ratiosOf(run, baseline), goals: goalsOf(run, baseline) });
      }
    }
    const results = {
      date: localDate(startedAt),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      options: {
        durationS: options.durationS,
        warmupS: options.warmupS,
        quick: options.quick,
        logLevels: options.logLevels,
        sandboxes: options.sandboxes,
        stores: options.stores,
        only: options.only,
        waitQuietS: options.waitQuietS,
      },
      machine: machine(redisVersion),
      setup: {
        workerConcurrency: options.workerConcurrency,
        store: storeLabel,
        ...(mongo ? { storeSettings: mongo.settings } : {}),
        payload: { source: body.source, bytes: body.bytes },
        loadGenerator: 'autocannon 9 in a separate process, pipelining 1, 10 s request timeout; latencies exact (every response)',
        note: 'Logs go to files as an operator would have them. LOG_LEVEL=warn drops the per-request and per-process info lines, so it measures the service, not the logger; the info run is what operators see by default.',
        goals: GOALS,
      },
      baseline,
      runs: runs.map(({ pids, ...run }) => run),
    };
    results.storeGoals = storeGoalsOf(results.runs);
    results.noisyCases = noisyCases(results).map((c) => ({ name: c.name, otherCpuPercent: c.processes.machine.otherCpuPercent }));
    console.log('');
    console.log(`webrequests bench, ${results.date}: ${results.machine.cpus} CPUs (${results.machine.cpuModel}), Node ${process.version}, Redis ${redisVersion}, worker concurrency ${options.workerConcurrency}, store ${storeLabel}`);
    console.log(`${options.durationS} s per case after ${options.warmupS} s warm-up; RSS = peak MB sampled every 200 ms; CPU % of one core over the measured window.`);
    console.log('The stack logs to files; LOG_LEVEL=warn leaves out the per-request/per-process info lines (logging is not what we measure), LOG_LEVEL=info is the default operators run with.\n');
    console.log(render(results));
    if (options.save) log(`results written to ${relative(process.cwd(), save(results))}`);
    await stopEverything();
    if (context.profileDir) printProfiles(context.profileDir, pidNames);
  } catch (error) {
    await stopEverything();
    throw error;
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
