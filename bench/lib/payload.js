'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** The repository's copy of the GitHub webhook corpus (test/fixtures/github-webhooks). */
const CORPUS = join(__dirname, '..', '..', 'test', 'fixtures', 'github-webhooks');
/** A real `issues.assigned` delivery: nested objects, nulls, URLs; 12.5 KB compact, so it is trimmed. */
const SOURCE = join('issues', 'assigned.payload.json');
const PAD_KEY = 'bench_padding';

const sizeOf = (value) => Buffer.byteLength(JSON.stringify(value));

/**
 * The largest prefix of `object`'s keys (recursing into the first key that does not fit whole) whose
 * JSON takes at most `budget` bytes: the payload keeps its real shape, only its tail is cut.
 */
function fit(object, budget) {
  const kept = {};
  for (const [key, value] of Object.entries(object)) {
    kept[key] = value;
    if (sizeOf(kept) <= budget) continue;
    delete kept[key];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      kept[key] = {};
      const room = budget - sizeOf(kept);
      if (room > 0) kept[key] = fit(value, room + 2);
      if (sizeOf(kept) > budget) delete kept[key];
    }
    break;
  }
  return kept;
}

/**
 * A JSON body of exactly `bytes` bytes built from a real GitHub webhook in the repository's corpus fixtures: the
 * delivery, compact, trimmed to size, then padded with one string field to the exact length.
 * Answers `{ text, source }`.
 */
function webhookBody(bytes = 10 * 1024) {
  const delivery = JSON.parse(readFileSync(join(CORPUS, SOURCE), 'utf8'));
  const overhead = sizeOf({ [PAD_KEY]: '' }) - 2 + 1; // `"bench_padding":""` plus its comma
  const body = fit(delivery, bytes - overhead);
  body[PAD_KEY] = '';
  body[PAD_KEY] = 'x'.repeat(Math.max(0, bytes - sizeOf(body)));
  const text = JSON.stringify(body);
  return { text, source: `test/fixtures/github-webhooks/${SOURCE}`, bytes: Buffer.byteLength(text) };
}

module.exports = { webhookBody };
