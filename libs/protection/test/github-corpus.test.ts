import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EndpointAuth } from '@webrequests/contracts';
import { dedupKeyOf, dedupKeySource, verifyAuth } from '@webrequests/protection';
import { signWith } from '../test-support/senders';
import { expectRejected, inboundRequest } from './auth-helpers';

/**
 * Real GitHub deliveries from the repository's copy of the corpus (octokit/webhooks, MIT; see its
 * README). It records no signatures nor the secret they were made with, so each is signed here by
 * @octokit/webhooks-methods over its exact bytes.
 */
const CORPUS_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'github-webhooks');
const DELIVERIES = [
  'ping/payload.json',
  'push/payload.json',
  // The corpus's one payload with non-ASCII text: the signature covers bytes, not characters.
  'dependabot_alert/created.payload.json',
  // Its largest.
  'pull_request_review_comment/created.with-organization.payload.json',
];

const SECRET = 'It\'s a Secret to Everybody';
const AUTH: EndpointAuth = { type: 'hmac', preset: 'github', secret: 'github-webhook' };

describe.each(DELIVERIES)('the github preset with the real delivery %s', (file) => {
  const bytes = readFileSync(join(CORPUS_DIR, file));
  const body = bytes.toString('utf8');
  let headers: Record<string, string>;

  beforeAll(() => {
    expect(Buffer.from(body, 'utf8').equals(bytes)).toBe(true);
    headers = { 'content-type': 'application/json', 'x-github-event': file.split('/')[0], ...signWith('github', { secret: SECRET, body, id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }) };
  });

  it('accepts it signed by GitHub\'s scheme, and finds its delivery id', () => {
    expect(verifyAuth(AUTH, inboundRequest(headers, bytes), SECRET)).toEqual({ ok: true });
    const source = dedupKeySource({ windowSeconds: 60 }, AUTH);
    expect(dedupKeyOf(source!, { headers, query: {}, body: JSON.parse(body) })).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
  });

  it('refuses it re-serialized (same JSON, other bytes) with bad_signature', () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body)), 'utf8');
    expect(reserialized.equals(bytes)).toBe(false);
    expectRejected(verifyAuth(AUTH, inboundRequest(headers, reserialized), SECRET), 'bad_signature', { secret: SECRET, headers: [headers] });
  });
});
