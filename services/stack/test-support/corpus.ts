import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The repository's copy of the GitHub webhook corpus (`test/fixtures/github-webhooks`, MIT, from
 * octokit/webhooks): real deliveries, a folder per `X-GitHub-Event`. Resolved from this file, so tests
 * read it from any working directory and never outside the repository.
 */
export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'github-webhooks');

/** One delivery of the corpus: its exact bytes, as GitHub would send them. */
export interface CorpusPayload {
  event: string;
  file: string;
  bytes: Buffer<ArrayBuffer>;
}

/** The exact bytes of `<event>/<file>` in the corpus. */
export function corpusFile(event: string, file: string): Buffer<ArrayBuffer> {
  return readFileSync(join(CORPUS_DIR, event, file));
}

/** The names of the deliveries of one event, sorted. */
export function corpusFiles(event: string): string[] {
  return readdirSync(join(CORPUS_DIR, event))
    .filter((file) => file.endsWith('.json'))
    .sort();
}

/** Every delivery of the corpus, sorted by `<event>/<file>`. */
export function corpusPayloads(): CorpusPayload[] {
  const payloads: CorpusPayload[] = [];
  for (const entry of readdirSync(CORPUS_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of corpusFiles(entry.name)) payloads.push({ event: entry.name, file, bytes: corpusFile(entry.name, file) });
  }
  return payloads.sort((a, b) => `${a.event}/${a.file}`.localeCompare(`${b.event}/${b.file}`));
}
