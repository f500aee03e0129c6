import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SealedSecret } from '@webrequests/contracts';

/**
 * A `SECRETS_KEY` as text: 32 bytes, written as 64 hex characters or as base64 (44 characters with
 * padding, 43 without). Answers the key, or throws an error whose message says what is wrong.
 */
export function parseSecretsKey(text: string, name = 'SECRETS_KEY'): Buffer {
  const trimmed = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== 32) {
    throw new Error(`${name} must be 32 bytes, written as 64 hex characters or as base64 (e.g. the output of \`openssl rand -base64 32\`)`);
  }
  return key;
}

/** Length of a GCM authentication tag, as sealed and as required to open (bytes). */
const TAG_BYTES = 16;

/** A key's name in sealed records: the first 8 hex characters of its SHA-256 (not the key, nor enough to find it). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Seals and opens secret values with AES-256-GCM (SPEC §10): a fresh 12-byte IV per seal, the secret's
 * name as associated data (a sealed value moved to another name does not open), and the key's id in
 * the record so that a value sealed under the previous key (`SECRETS_KEY_OLD`) still opens during a
 * rotation.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  /** The id of the key new values are sealed with. */
  readonly keyId: string;

  constructor(
    private readonly key: Buffer,
    oldKeys: readonly Buffer[] = [],
  ) {
    this.keyId = keyIdOf(key);
    this.keys.set(this.keyId, key);
    for (const old of oldKeys) if (!this.keys.has(keyIdOf(old))) this.keys.set(keyIdOf(old), old);
  }

  seal(name: string, value: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { name, keyId: this.keyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  }

  /** Whether this box holds the key a sealed value needs. */
  canOpen(sealed: SealedSecret): boolean {
    return this.keys.has(sealed.keyId);
  }

  /** The value; throws when the key is not held or the record was altered (GCM's tag does not match). */
  open(sealed: SealedSecret): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`secret "${sealed.name}" was sealed with key ${sealed.keyId}, which is neither SECRETS_KEY nor SECRETS_KEY_OLD`);
    // The whole 16-byte tag, always: without authTagLength, Node accepts a tag cut down to 4 bytes, and
    // a record whose tag was shortened would open on far weaker evidence that it is unaltered.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(sealed.name, 'utf8'));
    try {
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`secret "${sealed.name}" does not open with key ${sealed.keyId}: its record was altered`);
    }
  }

  /** The value sealed under the current key again; the same record when it already is. */
  reseal(sealed: SealedSecret): SealedSecret {
    return sealed.keyId === this.keyId ? sealed : this.seal(sealed.name, this.open(sealed));
  }
}
