import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyCatalog } from '@webrequests/catalog';
import { loadConfig, ConfigError } from '@webrequests/config';
import { obtainRedis, type LocalRedis } from '@webrequests/local-redis';
import { checkSyntax } from '@webrequests/sandbox';
import { openStore } from '@webrequests/store';
import { adminTokenFor } from './admin-token';
import { banner } from './banner';
import { serviceMain, startService, type ChildService } from './child-service';

const DATA_DIR = resolve('data');
const EXAMPLES_DIR = resolve(__dirname, '..', '..', '..', 'examples');

/** Loads the examples into the store before the services start, so they are there at the first request. */
async function loadExamples(storeUrl: string) {
  const store = await openStore(storeUrl);
  try {
    return await applyCatalog(store, EXAMPLES_DIR, checkSyntax);
  } finally {
    await store.close();
  }
}

/**
 * `npm start`: the whole stack on one host — a Redis (given, on the PATH, or installed), the SQLite
 * store under ./data, one ingress and one worker process — with the examples loaded.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logDir = resolve(DATA_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });
  const redis: LocalRedis = await obtainRedis({ url: config.redis.url, log: (line) => console.log(line) });
  const { token, generated } = adminTokenFor(config.admin.token, resolve(DATA_DIR, 'admin-token'));
  const applied = await loadExamples(config.store.url);
  const env = { ...process.env, REDIS_URL: redis.url, ADMIN_TOKEN: token, STORE_URL: config.store.url, PORT: String(config.http.port) };
  const services: ChildService[] = [
    startService('worker', serviceMain('@webrequests/worker'), env, resolve(logDir, 'worker.log')),
    startService('ingress', serviceMain('@webrequests/ingress'), env, resolve(logDir, 'ingress.log')),
  ];
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.allSettled(services.map((s) => s.stop()));
    await redis.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  for (const service of services) {
    service.child.once('exit', (code) => {
      if (stopping) return;
      console.error(`${service.name} stopped unexpectedly (exit code ${code}); see ${logDir}/${service.name}.log. Stopping.`);
      void stopAll(1);
    });
  }
  const [, ingressReady] = await Promise.all(services.map((s) => s.ready));
  const baseUrl = `http://localhost:${ingressReady!.port}`;
  const host = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
  console.log(banner({ baseUrl: baseUrl.replace('localhost', host), token, generated, logDir, redis: redis.url, store: config.store.url, applied }));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `webrequests could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
