import { resolve } from 'node:path';
import { applyCatalog, type ApplyReportLine } from '@webrequests/catalog';
import { loadConfig, ConfigError } from '@webrequests/config';
import { checkSyntax } from '@webrequests/scenario-syntax';
import { openStore } from '@webrequests/store';

const USAGE = [
  'usage: npm run catalog -- apply <dir>',
  '',
  'Upserts a catalog folder (scenarios/*.js and webrequests.json) into the store STORE_URL names',
  '(default sqlite:./data/webrequests.db): scenarios by file name, endpoints by urlId. Nothing is deleted.',
].join('\n');

/** A store URL fit to print: the password of `mongodb://user:password@host` is not. */
export function printableStoreUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}

/** The lines the command prints for an applied catalog: one per item, then the totals. */
export function reportLines(report: readonly ApplyReportLine[]): string[] {
  const lines = report.map((line) => `  ${line.action.padEnd(10)} ${line.kind.padEnd(11)} ${line.key}`);
  const count = (action: ApplyReportLine['action']) => report.filter((line) => line.action === action).length;
  lines.push(`${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged`);
  return lines;
}

/**
 * `catalog apply <dir>`: applies a catalog folder idempotently and reports created / updated / unchanged
 * per item. Answers the exit code: 0 applied, 1 failed (nothing half-applied for a bad file: every
 * scenario and the manifest are checked first), 2 wrong usage.
 */
export async function runCatalogCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, dir, ...rest] = args;
  if (command !== 'apply' || !dir || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  let storeUrl: string;
  try {
    storeUrl = loadConfig(env).store.url;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    return 1;
  }
  const folder = resolve(dir);
  console.log(`applying ${folder} to ${printableStoreUrl(storeUrl)}`);
  try {
    const store = await openStore(storeUrl);
    try {
      for (const line of reportLines(await applyCatalog(store, folder, checkSyntax))) console.log(line);
    } finally {
      await store.close();
    }
    return 0;
  } catch (error) {
    console.error(`catalog: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  runCatalogCommand(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
