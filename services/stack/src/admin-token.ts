import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The admin token for a local stack: the configured one, else the one generated on an earlier start
 * (kept in `file`, mode 0600), else a new one, saved there so it survives restarts.
 */
export function adminTokenFor(configured: string | undefined, file: string): { token: string; generated: boolean } {
  if (configured) return { token: configured, generated: false };
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 16) return { token: saved, generated: false };
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}
