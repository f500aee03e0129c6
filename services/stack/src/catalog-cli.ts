import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyCatalog, type ApplyReportLine } from '@webrequests/catalog';
import { SECRET_NAME_PATTERN, type ControlMessage } from '@webrequests/contracts';
import { loadConfig, ConfigError, type Config } from '@webrequests/config';
import { openSecretBox } from '@webrequests/protection';
import { createRedisConnection, publishControl, waitForRedis } from '@webrequests/queue';
import { checkSyntax } from '@webrequests/scenario-syntax';
import { openStore, type Store } from '@webrequests/store';
import { CommandError } from './command-error';
import type { ScenarioRun } from './run-scenario-command';

const USAGE = [
  'usage: npm run catalog -- apply <dir>',
  '       npm run catalog -- secret set <name> [--from-env VAR]   (the value from stdin, or from $VAR)',
  '       npm run catalog -- secret list',
  '       npm run catalog -- secret delete <name>',
  '       npm run catalog -- secrets reseal                       (after a key rotation: seal every secret under SECRETS_KEY)',
  '       npm run catalog -- run <scenario.js> [--request request.json] [--secret NAME=VALUE ...]',
  '',
  'apply upserts a catalog folder (scenarios/*.js and webrequests.json) into the store STORE_URL names',
  '(default sqlite:./data/webrequests.db): scenarios by file name, endpoints by urlId. Nothing is deleted.',
  'Secret values are sealed with SECRETS_KEY (default: the key npm start keeps in ./data/secrets-key).',
  'run runs one scenario once in the real sandbox, with no Redis and no store, and prints the answer its caller',
  'would get and its logs; exit code 0 when the process completes, 1 when it fails. --request names a JSON file',
  "describing the request as a test run's body does ({ method? (default POST), path?, query?, headers?, body? });",
  'without it, a GET with no body. --secret fills secrets.NAME (repeatable).',
].join('\n');

/** Where `npm start` keeps the key it generated; the command uses it when SECRETS_KEY is not set. */
const LOCAL_KEY_FILE = resolve('data', 'secrets-key');

/** A store URL fit to print: the password of `mongodb://user:password@host` is not. */
export function printableStoreUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}

/** The lines the command prints for an applied catalog: one per item, then the totals. */
export function reportLines(report: readonly ApplyReportLine[]): string[] {
  const lines = report.map((line) => {
    const hint = line.kind === 'secret' && line.action === 'missing' ? `   (set it: npm run catalog -- secret set ${line.key})` : '';
    return `  ${line.action.padEnd(10)} ${line.kind.padEnd(11)} ${line.key}${hint}`;
  });
  const count = (action: ApplyReportLine['action']) => report.filter((line) => line.action === action).length;
  lines.push(`${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged${count('missing') ? `; ${count('missing')} secret(s) not set yet` : ''}`);
  return lines;
}

/** The value of `secret set`: from `$VAR`, or stdin with one trailing newline dropped (`echo x |` adds one). */
function secretValue(flags: readonly string[], env: NodeJS.ProcessEnv): string {
  let value: string;
  if (flags.length === 2 && flags[0] === '--from-env') {
    value = env[flags[1]!] ?? '';
    if (!value) throw new CommandError(`catalog: $${flags[1]} is empty or not set`);
  } else if (flags.length === 0) {
    if (process.stdin.isTTY) throw new CommandError('catalog: give the value on stdin (e.g. printf %s "$VALUE" | npm run catalog -- secret set NAME) or with --from-env VAR');
    value = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    if (!value) throw new CommandError('catalog: the value on stdin is empty');
  } else {
    throw new CommandError(USAGE);
  }
  return value;
}

function checkName(name: string | undefined): string {
  if (!name || !SECRET_NAME_PATTERN.test(name)) throw new CommandError('catalog: a secret name is 1-100 characters of A-Z a-z 0-9 _ . - (not starting with . or -)');
  return name;
}

/** The arguments of `run`, in any order; wrong usage throws the USAGE. */
function scenarioRunOf(args: readonly string[]): ScenarioRun {
  const run: ScenarioRun = { file: '', requestFile: undefined, secrets: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--request' && args[i + 1] !== undefined && run.requestFile === undefined) run.requestFile = args[++i];
    else if (arg === '--secret' && args[i + 1]?.includes('=')) {
      const [name, ...value] = args[++i]!.split('=');
      run.secrets[checkName(name)] = value.join('=');
    } else if (!arg.startsWith('-') && !run.file) run.file = arg;
    else throw new CommandError(USAGE);
  }
  if (!run.file) throw new CommandError(USAGE);
  return run;
}

/** SECRETS_KEY as the services would have it, else the key `npm start` keeps under ./data. */
function withKey(config: Config): Config['secrets'] {
  if (config.secrets.key || !existsSync(LOCAL_KEY_FILE)) return config.secrets;
  return { ...config.secrets, key: readFileSync(LOCAL_KEY_FILE, 'utf8').trim() };
}

/**
 * Tells running services of a change (a secret, the catalog) when REDIS_URL names their Redis; else
 * they see it by themselves within `within` (the time they keep what they read).
 */
async function announce(config: Config, message: ControlMessage, within: string): Promise<string> {
  if (!config.redis.url) return `running services see the change within ${within} (set REDIS_URL to tell them at once)`;
  const redis = createRedisConnection(config.redis.url, 'producer', { cluster: config.redis.cluster });
  try {
    // A producer connection refuses commands until it is connected: wait for that first.
    await waitForRedis(redis, config.redis.url, config.redis.connectTimeoutMs);
    await publishControl(redis, config.redis.prefix, message);
    return 'running services were told';
  } catch {
    return `running services could not be told (Redis did not answer); they see the change within ${within}`;
  } finally {
    redis.disconnect();
  }
}

/** Tells running services that a secret changed. */
function announceSecret(config: Config, name: string): Promise<string> {
  return announce(config, { kind: 'secrets-changed', name }, 'a minute');
}

/** Tells running services that scenarios or endpoints changed; the ingresses see it within 5 s by themselves. */
export function announceCatalog(config: Config): Promise<string> {
  return announce(config, { kind: 'catalog-changed' }, '5 s');
}

/** Whether an apply changed a scenario or an endpoint (what the services keep in memory). */
export function changedCatalog(report: readonly ApplyReportLine[]): boolean {
  return report.some((line) => line.kind !== 'secret' && line.action !== 'unchanged');
}

async function secretCommand(store: Store, config: Config, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [sub, name, ...flags] = args;
  if (sub === 'list' && name === undefined) {
    let cursor: string | undefined;
    do {
      const page = await store.listSecrets({ cursor, limit: 500 });
      for (const secret of page.items) console.log(`  ${secret.name.padEnd(40)} updated ${secret.updatedAt}`);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return;
  }
  if (sub === 'delete' && flags.length === 0) {
    if (!(await store.deleteSecret(checkName(name)))) throw new CommandError(`catalog: no secret "${name}"`);
    console.log(`deleted secret ${name}; ${await announceSecret(config, name!)}`);
    return;
  }
  if (sub !== 'set') throw new CommandError(USAGE);
  const secretName = checkName(name);
  const value = secretValue(flags, env);
  const box = await openSecretBox(withKey(config), store);
  if (!box) throw new CommandError('catalog: SECRETS_KEY is not set (and ./data/secrets-key does not exist): set it to the key the services use');
  const { created } = await store.putSecret(box.seal(secretName, value));
  console.log(`${created ? 'created' : 'replaced'} secret ${secretName}; ${await announceSecret(config, secretName)}`);
}

/** `secrets reseal`: every secret sealed again under SECRETS_KEY, reading the old ones with SECRETS_KEY_OLD. */
async function resealCommand(store: Store, config: Config): Promise<void> {
  const box = await openSecretBox(withKey(config), store);
  if (!box) throw new CommandError('catalog: SECRETS_KEY is not set: set it to the new key, and SECRETS_KEY_OLD to the old one');
  let resealed = 0;
  const sealed = await store.getSealedSecrets();
  for (const secret of sealed) {
    const again = box.reseal(secret);
    if (again !== secret && (await store.resealSecret(again))) resealed++;
  }
  console.log(`${resealed} secret(s) sealed again under SECRETS_KEY, ${sealed.length - resealed} already were; SECRETS_KEY_OLD can now be removed`);
}

/**
 * `catalog apply <dir>`, `catalog secret …`, `catalog secrets reseal`, `catalog run <scenario.js> …`.
 * Answers the exit code: 0 done, 1 failed (nothing half-applied for a bad file: every scenario and the
 * manifest are checked first; for `run`, the process failed), 2 wrong usage.
 */
export async function runCatalogCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = args;
  const known = (command === 'apply' && rest.length === 1) || command === 'secret' || (command === 'secrets' && rest.length === 1 && rest[0] === 'reseal') || command === 'run';
  if (!known) {
    console.error(USAGE);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    return 1;
  }
  if (command === 'apply') console.log(`applying ${resolve(rest[0]!)} to ${printableStoreUrl(config.store.url)}`);
  try {
    // Loaded only for `run`: it brings the ingress's and the worker's packages, which apply and secret need not load.
    if (command === 'run') return await (require('./run-scenario-command') as typeof import('./run-scenario-command')).runScenarioCommand(scenarioRunOf(rest), config);
    const store = await openStore(config.store.url);
    try {
      if (command === 'apply') {
        const report = await applyCatalog(store, resolve(rest[0]!), checkSyntax);
        for (const line of reportLines(report)) console.log(line);
        if (changedCatalog(report)) console.log(await announceCatalog(config));
      } else if (command === 'secret') await secretCommand(store, config, rest, env);
      else await resealCommand(store, config);
    } finally {
      await store.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof CommandError && error.message === USAGE) {
      console.error(USAGE);
      return 2;
    }
    console.error(error instanceof CommandError ? error.message : `catalog: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  runCatalogCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
