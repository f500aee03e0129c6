'use strict';

/**
 * `--store mongodb`: the bench's own MongoDB-wire store, FerretDB v1 with its PostgreSQL handler on a
 * throw-away PostgreSQL cluster, both on spare loopback ports, in one temp folder that goes at the end.
 *
 * PostgreSQL refuses to run as root: as root, initdb and postgres run as the `postgres` system user
 * (spawned with its uid/gid directly, no runuser/su in between, so the pid we signal is postgres itself)
 * and the temp folder belongs to that user. Settings: see SETTINGS and bench/README.md ("MongoDB").
 */
const { execFile, execFileSync, spawn } = require('node:child_process');
const { once } = require('node:events');
const { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync } = require('node:fs');
const { connect } = require('node:net');
const os = require('node:os');
const { dirname, join } = require('node:path');
const { findFreePort } = require('@webrequests/local-redis');
const { tailOf } = require('./child-processes');

const ROOT = join(__dirname, '..', '..');
const INSTALL_SCRIPT = join(ROOT, '.ci', 'install-ferretdb.sh');
const READY_TIMEOUT_MS = 30_000;
/** The database FerretDB keeps its MongoDB databases in (one PostgreSQL schema per MongoDB database). */
const PG_DATABASE = 'ferretdb';
const PG_USER = 'postgres';

/**
 * PostgreSQL settings beyond initdb's defaults. Durability stays as a production server has it (fsync,
 * synchronous_commit and full_page_writes on: every FerretDB write is a PostgreSQL transaction whose
 * commit waits for the WAL flush; concurrent commits share a flush), since the bench measures a durable
 * setup. Loopback only, trust authentication (initdb --auth=trust), the socket in the temp folder.
 */
const SETTINGS = {
  listen_addresses: '127.0.0.1',
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The version `.ci/install-ferretdb.sh` builds, and the path it puts the binary at by default. */
function defaultFerretDb() {
  const script = readFileSync(INSTALL_SCRIPT, 'utf8');
  const version = /^version=(\S+)/m.exec(script)?.[1] ?? 'v1.24.2';
  return { version, path: join(os.homedir(), '.cache', 'webrequests', `ferretdb-${version}`) };
}

function findFerretDb() {
  const { version, path } = defaultFerretDb();
  const bin = process.env.FERRETDB_BIN || path;
  if (!existsSync(bin)) {
    throw new Error(`FerretDB ${version} not found at ${bin}: run .ci/install-ferretdb.sh (it builds it there; needs Go), or set FERRETDB_BIN=<path>`);
  }
  return bin;
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** PostgreSQL's bin folder: $PG_BINDIR, the newest /usr/lib/postgresql/<n>/bin (Debian), or initdb's on PATH. */
function findPostgres() {
  const has = (dir) => ['postgres', 'initdb', 'pg_isready', 'createdb'].every((name) => existsSync(join(dir, name)));
  const candidates = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {
    // not Debian's layout
  }
  const initdb = onPath('initdb');
  if (initdb) candidates.push(dirname(realpathSync(initdb)));
  const bin = candidates.find(has);
  if (!bin) {
    throw new Error('PostgreSQL not found (postgres, initdb, pg_isready, createdb in $PG_BINDIR, /usr/lib/postgresql/<n>/bin or on PATH): apt-get install postgresql, or set PG_BINDIR=<its bin folder>');
  }
  return bin;
}

/** Who PostgreSQL runs as: ourselves, or (as root, which it refuses) the `postgres` system user. */
function postgresUser() {
  if (process.getuid() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${PG_USER}:`));
  if (!line) throw new Error(`PostgreSQL refuses to run as root and there is no '${PG_USER}' user to run it as: apt-get install postgresql creates it (or: useradd --system ${PG_USER})`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function versionOf(bin, pattern) {
  try {
    return pattern.exec(execFileSync(bin, ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function run(file, args, options) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 60_000, ...options }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { output: `${stdout}${stderr}`.trim() }));
      else resolve(stdout);
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Pings FerretDB through the MongoDB driver mongoose uses, which also makes FerretDB reach PostgreSQL. */
async function pingMongo(url) {
  let MongoClient;
  try {
    const storeDir = dirname(require.resolve('@webrequests/store/package.json'));
    const mongooseDir = dirname(require.resolve('mongoose/package.json', { paths: [storeDir] }));
    ({ MongoClient } = require(require.resolve('mongodb', { paths: [mongooseDir] })));
  } catch {
    return; // no driver to ping with: the stack's own MongoStore.open will tell
  }
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * The bench's own store for `--store mongodb`. `start()` initializes the cluster, starts PostgreSQL
 * and FerretDB and waits until both answer; then `urlFor(db)` is a `mongodb://` STORE_URL. `stop()`
 * (idempotent, safe while `start()` runs) stops FerretDB, then PostgreSQL (fast shutdown), and removes
 * the temp folder. `onCrash(error)` hears either server exiting while not being stopped.
 */
function ownMongoStore({ log = () => undefined, onCrash = () => undefined } = {}) {
  const procs = [];
  let dir = null;
  let stopping = null;
  let mongoPort = null;
  const handle = {
    description: null,
    settings: { postgresql: { ...SETTINGS, auth: 'trust' }, ferretdb: { handler: 'postgresql', logLevel: 'warn', telemetry: 'disable' } },
    urlFor: (db) => `mongodb://127.0.0.1:${mongoPort}/${db}`,
    /** The servers' pids (PostgreSQL's is the postmaster; its backends are its children). */
    get pids() {
      return Object.fromEntries(procs.map((e) => [e.name, e.child.pid]));
    },
    start,
    stop,
  };
  return handle;

  function checkNotStopping() {
    if (stopping) throw new Error('the MongoDB store was stopped while starting');
  }

  function launch(name, file, args, { logFile, user, env }) {
    const fd = openSync(logFile, 'a');
    const child = spawn(file, args, { cwd: dir, env, stdio: ['ignore', fd, fd], ...(user ?? {}) });
    closeSync(fd);
    // `once` rejects on an 'error' event (spawn failed: then no 'exit' follows): that counts as exited.
    const entry = { name, child, logFile, failed: null, exited: once(child, 'exit').catch(() => undefined) };
    child.once('error', (error) => {
      entry.failed = error;
      if (!stopping) onCrash(new Error(`${name} could not be started: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      onCrash(new Error(`${name} (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`}); last lines of ${logFile}:\n${tailOf(logFile)}`));
    });
    procs.push(entry);
    return entry;
  }

  /** Polls `ready()` until it holds; fails with the log's tail when the process exits or time runs out. */
  async function waitFor(entry, what, ready) {
    const limit = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < limit) {
      checkNotStopping();
      if (entry.failed) throw new Error(`${entry.name} could not be started: ${entry.failed.message}`);
      if (entry.child.exitCode !== null || entry.child.signalCode !== null) {
        throw new Error(`${entry.name} exited while starting; last lines of ${entry.logFile}:\n${tailOf(entry.logFile)}`);
      }
      if (await ready()) return;
      await sleep(100);
    }
    throw new Error(`${entry.name} did not ${what} within ${READY_TIMEOUT_MS / 1000} s; last lines of ${entry.logFile}:\n${tailOf(entry.logFile)}`);
  }

  async function start() {
    const pgBin = findPostgres();
    const ferretBin = findFerretDb();
    const user = postgresUser();
    const pgVersion = versionOf(join(pgBin, 'postgres'), /PostgreSQL\)\s+(\S+)/);
    const ferretVersion = versionOf(ferretBin, /version:\s*(\S+)/);
    handle.description = `mongodb: FerretDB ${ferretVersion} on PostgreSQL ${pgVersion} (temp folder)`;

    dir = mkdtempSync(join(os.tmpdir(), 'webrequests-bench-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    const data = join(dir, 'data');
    // No PG* variables of ours leak in; C locale, so the cluster does not depend on the host's locales.
    const pgEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C', LC_ALL: 'C' };
    try {
      // --no-sync: initdb's own files need no flush for a cluster that lives for one run; the server's
      // writes afterwards are durable (fsync on).
      await run(join(pgBin, 'initdb'), ['-D', data, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], {
        cwd: dir,
        env: pgEnv,
        ...(user ?? {}),
      });
    } catch (error) {
      throw new Error(`initdb failed (${error.message.split('\n')[0]}): ${error.output ?? ''}`);
    }
    checkNotStopping();

    const pgPort = await findFreePort();
    const settings = Object.entries({ ...SETTINGS, port: pgPort, unix_socket_directories: dir }).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    const pg = launch('postgres', join(pgBin, 'postgres'), ['-D', data, ...settings], { logFile: join(dir, 'postgres.log'), user, env: pgEnv });
    const pgArgs = ['-h', '127.0.0.1', '-p', String(pgPort), '-U', PG_USER];
    await waitFor(pg, `accept connections on 127.0.0.1:${pgPort}`, () =>
      run(join(pgBin, 'pg_isready'), [...pgArgs, '-t', '1'], { env: pgEnv }).then(() => true, () => false),
    );
    try {
      await run(join(pgBin, 'createdb'), [...pgArgs, PG_DATABASE], { env: pgEnv });
    } catch (error) {
      throw new Error(`createdb ${PG_DATABASE} failed: ${error.output || error.message}`);
    }
    checkNotStopping();

    mongoPort = await findFreePort();
    const stateDir = join(dir, 'ferretdb-state');
    mkdirSync(stateDir);
    const ferret = launch('ferretdb', ferretBin, [
      '--handler=postgresql',
      `--postgresql-url=postgres://${PG_USER}@127.0.0.1:${pgPort}/${PG_DATABASE}`,
      `--listen-addr=127.0.0.1:${mongoPort}`,
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=warn',
    ], { logFile: join(dir, 'ferretdb.log'), env: { PATH: pgEnv.PATH, HOME: dir } });
    await waitFor(ferret, `listen on 127.0.0.1:${mongoPort}`, () => canConnect(mongoPort));
    try {
      await pingMongo(handle.urlFor('admin'));
    } catch (error) {
      throw new Error(`FerretDB on 127.0.0.1:${mongoPort} does not answer a ping (${error.message}); last lines of ${ferret.logFile}:\n${tailOf(ferret.logFile)}`);
    }
    log(`${handle.description}: FerretDB at 127.0.0.1:${mongoPort}, PostgreSQL at 127.0.0.1:${pgPort}, in ${dir}`);
    return handle;
  }

  /** SIGTERM/SIGINT as given, then `escalate` signals after `graceMs` each. */
  async function stopOne(entry, signal, graceMs, escalate) {
    const { child } = entry;
    if (entry.failed || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const signals = [signal, ...escalate];
    child.kill(signals.shift());
    let timer;
    const next = () => {
      timer = setTimeout(() => {
        if (signals.length === 0) return;
        child.kill(signals.shift());
        next();
      }, graceMs);
    };
    next();
    await entry.exited;
    clearTimeout(timer);
  }

  function stop() {
    if (!stopping) {
      stopping = (async () => {
        const byName = (name) => procs.filter((e) => e.name === name);
        for (const entry of byName('ferretdb')) await stopOne(entry, 'SIGTERM', 10_000, ['SIGKILL']);
        // SIGINT is PostgreSQL's fast shutdown (clients disconnected, clean checkpoint); SIGQUIT immediate.
        for (const entry of byName('postgres')) await stopOne(entry, 'SIGINT', 15_000, ['SIGQUIT', 'SIGKILL']);
        if (dir) rmSync(dir, { recursive: true, force: true });
      })();
    }
    return stopping;
  }
}

module.exports = { ownMongoStore };
