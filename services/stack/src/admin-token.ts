import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseSecretsKey } from '@webrequests/protection';

/**
 * A credential of the local stack: the configured one, else the one generated on an earlier start
 * (kept in `file`, mode 0600), else a new one, saved there so it survives restarts.
 */
function keptCredential(configured: string | undefined, file: string, generate: () => string, isValid: (saved: string) => boolean): { value: string; generated: boolean } {
  if (configured) return { value: configured, generated: false };
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (isValid(saved)) return { value: saved, generated: false };
  }
  const value = generate();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, generated: true };
}

/** The admin token (see {@link keptCredential}). */
export function adminTokenFor(configured: string | undefined, file: string): { token: string; generated: boolean } {
  const { value, generated } = keptCredential(configured, file, () => randomBytes(24).toString('base64url'), (saved) => saved.length >= 16);
  return { token: value, generated };
}

/**
 * The key secrets are sealed with (see {@link keptCredential}): losing it loses every secret, so it
 * is kept beside the store it opens, and a saved key that does not parse is an error, not replaced.
 */
export function secretsKeyFor(configured: string | undefined, file: string): { key: string; generated: boolean } {
  const { value, generated } = keptCredential(configured, file, () => randomBytes(32).toString('base64'), (saved) => {
    parseSecretsKey(saved, file);
    return true;
  });
  return { key: value, generated };
}
