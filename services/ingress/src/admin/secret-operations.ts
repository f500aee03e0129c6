import { ConflictError } from '@webrequests/contracts';
import { secretsNamedBy, type SecretBox } from '@webrequests/protection';
import type { Store } from '@webrequests/store';
import { z } from 'zod';
import { Answer, defineOperation, type AdminOperation } from './admin-operation';
import { found } from './catalog-operations';
import { pageSchema, secretSchema } from './resource-schemas';
import { pageQuerySchema, secretNameSchema, secretPutSchema } from './schemas';
import { validate } from './validate';

/** What the secrets catalog needs besides the store. */
export interface SecretKeeping {
  /** Seals values; null when SECRETS_KEY is not set (then no value can be stored). */
  box: SecretBox | null;
  /** Tells every service to drop the value it keeps of `name`. */
  announceChange: (name: string) => Promise<void>;
}

/** Endpoints that name `name` (in `secrets` or `auth`), by urlId. */
async function endpointsNaming(store: Store, name: string): Promise<string[]> {
  const users: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listWebRequests({ cursor, limit: 500 });
    for (const endpoint of page.items) if (secretsNamedBy(endpoint).includes(name)) users.push(endpoint.urlId);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return users;
}

/**
 * The secrets catalog (SPEC §5, §10): list, create or replace, delete. A value goes in and never comes
 * out: answers carry the name and times alone.
 */
export function secretOperations(store: Store, keeping: SecretKeeping): AdminOperation[] {
  const nameOf = (id: string): string => validate(z.object({ name: secretNameSchema }), { name: id }).name;
  return [
    defineOperation({
      method: 'get', path: '/secrets', operationId: 'listSecrets', summary: 'List secrets by name (never their values)', tag: 'secrets',
      query: pageQuerySchema,
      success: { status: 200, description: 'One page of secrets: names and times', schema: pageSchema(secretSchema) },
      handle: ({ query }) => store.listSecrets(query),
    }),
    defineOperation({
      method: 'put', path: '/secrets/:name', operationId: 'putSecret', summary: 'Create or replace a secret', tag: 'secrets',
      params: { name: secretNameSchema },
      description: 'The value is sealed with AES-256-GCM under SECRETS_KEY; no answer, log, record, job or dashboard ever shows it. 409 when SECRETS_KEY is not set.',
      body: secretPutSchema,
      success: { status: 200, description: 'The replaced secret (name and times)', schema: secretSchema, also: { status: 201, description: 'The created secret (name and times)' } },
      errors: [409],
      handle: async ({ id, body }) => {
        const name = nameOf(id);
        if (!keeping.box) throw new ConflictError('SECRETS_KEY is not set on this service, so no secret can be stored; set it (32 bytes, hex or base64) and restart');
        const { secret, created } = await store.putSecret(keeping.box.seal(name, body.value));
        await keeping.announceChange(name);
        return created ? new Answer(201, secret) : secret;
      },
    }),
    defineOperation({
      method: 'delete', path: '/secrets/:name', operationId: 'deleteSecret', summary: 'Delete a secret no endpoint names', tag: 'secrets',
      params: { name: secretNameSchema },
      success: { status: 204, description: 'Deleted' }, errors: [404, 409],
      handle: async ({ id }) => {
        // A name no secret can have names no secret: 404, like any other unknown one.
        const users = await endpointsNaming(store, id);
        if (users.length > 0) throw new ConflictError(`secret "${id}" is named by ${users.length === 1 ? 'endpoint' : 'endpoints'} ${users.slice(0, 5).join(', ')}${users.length > 5 ? ', …' : ''}`);
        found((await store.deleteSecret(id)) || null, 'secret');
        await keeping.announceChange(id);
      },
    }),
  ];
}
