'use strict';

const { parseArgs } = require('node:util');

const USAGE = `Usage: npm run bench -- [options]

  --duration <s>       measured seconds per case (default 10)
  --warmup <s>         warm-up seconds per case, not measured (default 3)
  --quick              duration 3, warm-up 1, log level warn only: under a minute in all
  --log-levels <list>  LOG_LEVEL of the stack, one full stack run each (default "warn,info")
  --only <list>        run only these cases (names as in the table, e.g. sync-noop-c64,baseline-c64)
  --sandbox <list>     where scenarios run, one full stack run each per log level: "process" (the
                       sandbox processes, the default) and/or "thread" (SANDBOX_PROCESSES=0: threads
                       of the worker process, to measure what the process boundary costs)
  --store <list>       the store(s) the stack runs on, one full stack run each, the bench's own,
                       thrown away at the end: "sqlite" (default: a file in a temp folder, one per
                       stack run) and/or "mongodb" (FerretDB v1 on a PostgreSQL cluster in a temp
                       folder: needs PostgreSQL, e.g. apt-get install postgresql, and
                       .ci/install-ferretdb.sh; see bench/README.md). "sqlite,mongodb" compares both
                       in one run (the MongoDB goal)
  --concurrency <n>    WORKER_CONCURRENCY of the stack's worker (default: $WORKER_CONCURRENCY or 8)
  --profile            run the stack under node --cpu-prof (ingress, worker and its threads), then
                       summarize the profiles; implies --only sync-noop-c64 --log-levels warn --no-save
                       unless those are given
  --profile-dir <dir>  where the .cpuprofile files go (default bench/profiles/<timestamp>)
  --wait-quiet <s>     on a shared machine: before each case, wait up to <s> seconds for the other
                       processes to go quiet (under 15 % of one core for 3 s); default 0 (off)
  --no-save            do not write bench/results/<date>.json
  -h, --help           this text

Environment: STORE_URL (an external store instead of --store: the bench creates its endpoints there and
deletes them at the end), WORKER_CONCURRENCY; for --store mongodb, PG_BINDIR (PostgreSQL's bin folder,
default the newest /usr/lib/postgresql/<n>/bin) and FERRETDB_BIN (default where
.ci/install-ferretdb.sh builds it).`;

function positive(name, text) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number of seconds (got "${text}")`);
  return value;
}

function list(text) {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}

/** Reads the command line into the bench's options; throws with a readable message on a bad one. */
function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'log-levels': { type: 'string' },
      sandbox: { type: 'string' },
      only: { type: 'string' },
      concurrency: { type: 'string' },
      store: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-dir': { type: 'string' },
      'no-save': { type: 'boolean', default: false },
      'wait-quiet': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true, usage: USAGE };
  const quick = values.quick;
  const profile = values.profile;
  const concurrency = Number(values.concurrency ?? process.env.WORKER_CONCURRENCY ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new Error(`--concurrency / WORKER_CONCURRENCY must be an integer 1-256 (got "${values.concurrency ?? process.env.WORKER_CONCURRENCY}")`);
  }
  const levels = values['log-levels'] ? list(values['log-levels']) : quick || profile ? ['warn'] : ['warn', 'info'];
  const known = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];
  const bad = levels.filter((level) => !known.includes(level));
  if (bad.length > 0) throw new Error(`--log-levels: unknown level(s) ${bad.join(', ')}; use ${known.join(', ')}`);
  const sandboxes = values.sandbox ? list(values.sandbox) : ['process'];
  const badSandbox = sandboxes.filter((mode) => mode !== 'process' && mode !== 'thread');
  if (badSandbox.length > 0) throw new Error(`--sandbox: unknown mode(s) ${badSandbox.join(', ')}; use process and/or thread`);
  const stores = values.store ? list(values.store) : ['sqlite'];
  const badStore = stores.filter((store) => store !== 'sqlite' && store !== 'mongodb');
  if (badStore.length > 0 || stores.length === 0) throw new Error(`--store: unknown store(s) ${badStore.join(', ') || '(none)'}; use sqlite and/or mongodb`);
  if (values.store !== undefined && process.env.STORE_URL) {
    throw new Error('--store starts a store of the bench\'s own, STORE_URL names an external one: give one of the two');
  }
  return {
    help: false,
    stores,
    sandboxes,
    usage: USAGE,
    quick,
    durationS: values.duration ? positive('duration', values.duration) : quick ? 3 : 10,
    warmupS: values.warmup ? positive('warmup', values.warmup) : quick ? 1 : 3,
    logLevels: levels,
    only: values.only ? list(values.only) : profile ? ['sync-noop-c64'] : null,
    workerConcurrency: concurrency,
    profile,
    profileDir: values['profile-dir'] ?? null,
    save: !values['no-save'] && !profile,
    waitQuietS: values['wait-quiet'] ? positive('wait-quiet', values['wait-quiet']) : 0,
  };
}

module.exports = { readOptions };
