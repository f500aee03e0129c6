import type { SealedSecret } from '@webrequests/contracts';
import { SecretBox, parseSecretsKey } from './secret-box';

/**
 * The services' {@link SecretBox} from SECRETS_KEY and SECRETS_KEY_OLD, checked against what the store
 * holds: with secrets in the store and no key, or a secret sealed under neither key, a service refuses
 * to start (SPEC §10) rather than fail every request that needs one. Null when no key is set and the
 * store holds no secret.
 */
export async function openSecretBox(
  keys: { key: string | undefined; oldKey: string | undefined },
  store: { getSealedSecrets(): Promise<SealedSecret[]> },
): Promise<SecretBox | null> {
  const sealed = await store.getSealedSecrets();
  if (!keys.key) {
    if (sealed.length > 0) throw new Error(`the store holds ${sealed.length} secret(s) but SECRETS_KEY is not set: set SECRETS_KEY to the key they were sealed with`);
    return null;
  }
  const box = new SecretBox(parseSecretsKey(keys.key), keys.oldKey ? [parseSecretsKey(keys.oldKey, 'SECRETS_KEY_OLD')] : []);
  const unreadable = sealed.filter((secret) => !box.canOpen(secret));
  if (unreadable.length > 0) {
    const names = unreadable.map((secret) => secret.name).slice(0, 5).join(', ');
    throw new Error(`secret(s) ${names} were sealed with a key that is neither SECRETS_KEY nor SECRETS_KEY_OLD: set SECRETS_KEY_OLD to that key`);
  }
  return box;
}
