import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EndpointProtection, Scenario, WebRequest } from '@webrequests/contracts';
import { dedupProblem, secretsNamedBy } from '@webrequests/protection';
import type { Clearable, Store } from '@webrequests/store';
import { manifestSchema, type Manifest } from './manifest';

export type ApplyAction = 'created' | 'updated' | 'unchanged';

/** One line of what {@link applyCatalog} did; a secret is only looked for (`set` or `missing`): its value is never in the folder. */
export type ApplyReportLine =
  | { kind: 'scenario' | 'webrequest'; key: string; action: ApplyAction }
  | { kind: 'secret'; key: string; action: 'set' | 'missing' };

const PROTECTION_FIELDS = ['secrets', 'auth', 'allowIps', 'dedup', 'timeoutMs', 'maxConcurrent'] as const satisfies ReadonlyArray<keyof EndpointProtection>;

/** JSON with object keys sorted, so that two equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
}

/** An entry's protection fields for an update: a field the manifest leaves out is removed (null). */
function protectionOf(entry: EndpointProtection): Clearable<EndpointProtection> {
  return Object.fromEntries(PROTECTION_FIELDS.map((field) => [field, entry[field] ?? null]));
}

interface ScenarioFile {
  name: string;
  source: string;
  description: string;
}

/** A line that tells an editor how to check the file (`// @ts-check`), not what the scenario does. */
const EDITOR_DIRECTIVE = /^\/\/\s*@ts-(no)?check\b/;

/** The leading `//` comment of a scenario file is its description. */
function descriptionOf(source: string): string {
  const lines = source.split('\n');
  const comment: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('//')) break;
    if (!EDITOR_DIRECTIVE.test(line)) comment.push(line.replace(/^\/\/\s?/, ''));
  }
  return comment.join(' ').trim().slice(0, 2000);
}

async function readScenarios(dir: string): Promise<ScenarioFile[]> {
  const names = (await readdir(join(dir, 'scenarios'))).filter((name) => name.endsWith('.js')).sort();
  return Promise.all(
    names.map(async (file) => {
      const source = await readFile(join(dir, 'scenarios', file), 'utf8');
      return { name: basename(file, '.js'), source, description: descriptionOf(source) };
    }),
  );
}

async function readManifest(dir: string): Promise<Manifest> {
  const text = await readFile(join(dir, 'webrequests.json'), 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`webrequests.json is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`webrequests.json: ${issue.path.join('.')}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const { urlId } of parsed.data.webrequests) {
    if (seen.has(urlId)) throw new Error(`webrequests.json: urlId "${urlId}" is listed twice`);
    seen.add(urlId);
  }
  return parsed.data;
}

async function allScenarios(store: Store): Promise<Scenario[]> {
  const all: Scenario[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listScenarios({ cursor, limit: 500 });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

async function upsertScenario(store: Store, file: ScenarioFile, existing: Scenario | undefined): Promise<[Scenario, ApplyAction]> {
  const wanted = { name: file.name, description: file.description, source: file.source };
  if (!existing) return [await store.createScenario(wanted), 'created'];
  if (existing.source === wanted.source && existing.description === wanted.description) return [existing, 'unchanged'];
  return [(await store.updateScenario(existing.id, wanted))!, 'updated'];
}

type EndpointEntry = Manifest['webrequests'][number];

function sameEndpoint(existing: WebRequest, wanted: Omit<EndpointEntry, 'scenario' | keyof EndpointProtection> & Clearable<EndpointProtection> & { scriptId: string }): boolean {
  return (
    existing.name === wanted.name &&
    existing.description === (wanted.description ?? '') &&
    existing.scriptId === wanted.scriptId &&
    existing.status === (wanted.status ?? 'active') &&
    JSON.stringify(existing.corsOrigins ?? []) === JSON.stringify(wanted.corsOrigins ?? []) &&
    PROTECTION_FIELDS.every((field) => canonical(existing[field] ?? null) === canonical(wanted[field] ?? null))
  );
}

/**
 * Upserts a catalog folder (`scenarios/*.js` and `webrequests.json`) into the store, idempotently:
 * scenarios are matched by file name, endpoints by `urlId`. `checkSyntax` vets every scenario before
 * anything is written, so a broken file changes nothing.
 */
export async function applyCatalog(store: Store, dir: string, checkSyntax: (source: string) => string | null): Promise<ApplyReportLine[]> {
  const files = await readScenarios(dir);
  const manifest = await readManifest(dir);
  for (const file of files) {
    const problem = checkSyntax(file.source);
    if (problem) throw new Error(`scenarios/${file.name}.js: ${problem}`);
  }
  const declared = new Set((manifest.secrets ?? []).map((secret) => secret.name));
  for (const entry of manifest.webrequests) {
    if (!files.some((f) => f.name === entry.scenario)) throw new Error(`webrequests.json: ${entry.urlId}: no scenarios/${entry.scenario}.js`);
    for (const name of secretsNamedBy(entry)) {
      if (!declared.has(name)) throw new Error(`webrequests.json: ${entry.urlId}: secret "${name}" is not listed in "secrets"`);
    }
    const problem = dedupProblem(entry);
    if (problem) throw new Error(`webrequests.json: ${entry.urlId}: dedup.key is ${problem}`);
  }
  const report: ApplyReportLine[] = [];
  const existing = await allScenarios(store);
  const ids = new Map<string, string>();
  for (const file of files) {
    const [scenario, action] = await upsertScenario(store, file, existing.find((s) => s.name === file.name));
    ids.set(file.name, scenario.id);
    report.push({ kind: 'scenario', key: file.name, action });
  }
  for (const { scenario, ...entry } of manifest.webrequests) {
    const wanted = { ...entry, ...protectionOf(entry), description: entry.description ?? '', scriptId: ids.get(scenario)! };
    const current = await store.getWebRequestByUrlId(entry.urlId);
    let action: ApplyAction = 'unchanged';
    if (!current) (action = 'created'), await store.createWebRequest(wanted);
    else if (!sameEndpoint(current, wanted)) (action = 'updated'), await store.updateWebRequest(current.id, wanted);
    report.push({ kind: 'webrequest', key: entry.urlId, action });
  }
  const present = new Set((await store.getSealedSecrets([...declared])).map((secret) => secret.name));
  for (const name of declared) report.push({ kind: 'secret', key: name, action: present.has(name) ? 'set' : 'missing' });
  return report;
}
