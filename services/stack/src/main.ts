import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { relative, resolve } from 'node:path';
import { applyCatalog } from '@webrequests/catalog';
import { loadConfig, type Config } from '@webrequests/config';
import { StartupError, exitOnStartupFailure, listen } from '@webrequests/lifecycle';
import { obtainRedis, type LocalRedis } from '@webrequests/local-redis';
import { createRedisConnection, waitForRedis } from '@webrequests/queue';
import { checkSyntax } from '@webrequests/scenario-syntax';
import { openStore, type Store } from '@webrequests/store';
import { adminTokenFor, secretsKeyFor } from './admin-token';
import { banner } from './banner';
import { announceCatalog } from './catalog-cli';
import { watchCatalog } from './catalog-watcher';
import { serviceMain, startService, type ChildService } from './child-service';

const DATA_DIR = resolve('data');
const EXAMPLES_DIR = resolve(__dirname, '..', '..', '..', 'examples');

/** Loads the catalog folder into the store before the services start, so it is there at the first request. */
async function loadCatalog(storeUrl: string, dir: string) {
  const store = await openStore(storeUrl);
  try {
    return await applyCatalog(store, dir, checkSyntax);
  } finally {
    await store.close();
  }
}

/** The data folder must be writable: fails with one line saying which folder and what to do. */
function makeDataFolders(logDir: string): void {
  try {
    mkdirSync(logDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new StartupError(`cannot write the data folder ${DATA_DIR} (${code}): run from a folder you can write, or make ${DATA_DIR} a writable folder`, { cause: error });
  }
}

/** Fails now, before Redis or a service is started, when the ingress's port is taken. */
async function checkPortIsFree(config: Config): Promise<void> {
  if (config.http.port === 0) return;
  const probe = createServer();
  await listen(probe, config.http.port, config.http.host, 'PORT');
  await new Promise((done) => probe.close(done));
}

/** A Redis the stack did not start itself (`REDIS_URL`) must answer before the services are started. */
async function checkRedisAnswers(redis: LocalRedis, config: Config): Promise<void> {
  if (redis.started) return;
  const client = createRedisConnection(redis.url, 'producer', { cluster: config.redis.cluster });
  try {
    await waitForRedis(client, redis.url, config.redis.connectTimeoutMs);
  } finally {
    client.disconnect();
  }
}

/**
 * `npm start`: the whole stack on one host — a Redis (given, on the PATH, or installed), the SQLite
 * store under ./data, one ingress and one worker process — with the catalog folder (CATALOG_DIR, else
 * the examples) loaded. `npm run dev` (`--watch`) also applies every change of that folder at once.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const watching = process.argv.includes('--watch');
  const catalogDir = config.catalogDir ? resolve(config.catalogDir) : EXAMPLES_DIR;
  const logDir = resolve(DATA_DIR, 'logs');
  makeDataFolders(logDir);
  await checkPortIsFree(config);
  const redis: LocalRedis = await obtainRedis({ url: config.redis.url, log: (line) => console.log(line) });
  try {
    await checkRedisAnswers(redis, config);
  } catch (error) {
    await redis.stop();
    throw error;
  }
  const { token, generated } = adminTokenFor(config.admin.token, resolve(DATA_DIR, 'admin-token'));
  const secretsKey = secretsKeyFor(config.secrets.key, resolve(DATA_DIR, 'secrets-key'));
  const applied = await loadCatalog(config.store.url, catalogDir);
  const env = {
    // No load balancer to wait for on one host: Ctrl-C stops at once (unless SHUTDOWN_DELAY_MS says otherwise).
    SHUTDOWN_DELAY_MS: '0',
    ...process.env,
    REDIS_URL: redis.url,
    ADMIN_TOKEN: token,
    SECRETS_KEY: secretsKey.key,
    STORE_URL: config.store.url,
    PORT: String(config.http.port),
  };
  const services: ChildService[] = [
    startService('worker', serviceMain('@webrequests/worker'), env, resolve(logDir, 'worker.log')),
    startService('ingress', serviceMain('@webrequests/ingress'), env, resolve(logDir, 'ingress.log')),
  ];
  let stopping = false;
  let watcher: { close(): void; store: Store } | null = null;
  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    watcher?.close();
    await watcher?.store.close().catch(() => undefined);
    // The ingress first (it answers what it holds, and sends no new job), then the worker, which
    // finishes the jobs in hand; Redis last.
    for (const service of [...services].reverse()) await service.stop().catch(() => undefined);
    await redis.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  let ready = false;
  for (const service of services) {
    service.child.once('exit', (code) => {
      if (stopping) return;
      // A service that fails to start has said why on stderr, in one line; once running, it logs to its file.
      if (ready) console.error(`${service.name} stopped unexpectedly (exit code ${code}); see ${logDir}/${service.name}.log. Stopping.`);
      void stopAll(1);
    });
  }
  const [, ingressReady] = await Promise.all(services.map((s) => s.ready)).catch(() => stopAll(1));
  ready = true;
  const baseUrl = `http://localhost:${ingressReady!.port}`;
  const host = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
  const metricsUrl = `http://${host}:${ingressReady!.metricsPort}/metrics`;
  const shown = relative(process.cwd(), catalogDir) || '.';
  console.log(banner({ baseUrl: baseUrl.replace('localhost', host), metricsUrl, token, generated, keyGenerated: secretsKey.generated, logDir, redis: redis.url, store: config.store.url, applied, catalog: shown }));
  if (watching) {
    const store = await openStore(config.store.url);
    const output = { info: (line: string) => console.log(line), error: (line: string) => console.error(line) };
    watcher = { ...watchCatalog(store, catalogDir, output, () => announceCatalog({ ...config, redis: { ...config.redis, url: redis.url } })), store };
    console.log(`Watching ${shown}/: every change is applied at once.`);
  }
}

main().catch((error: unknown) => exitOnStartupFailure('webrequests', error));
