import { z } from 'zod';
import type { AdminOperation } from './admin-operation';
import { errorSchema, processSchema, scenarioSchema, secretSchema, testAnswerSchema, webrequestSchema } from './resource-schemas';

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/** Schemas shown under their own name; the other request and answer schemas are named after their operation. */
const NAMED: ReadonlyArray<[string, z.ZodType]> = [
  ['Scenario', scenarioSchema],
  ['Webrequest', webrequestSchema],
  ['Process', processSchema],
  ['Secret', secretSchema],
  ['TestAnswer', testAnswerSchema],
  ['Error', errorSchema],
];

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; `error.field` names the offending field',
  401: 'Missing or wrong admin token',
  404: 'No such object',
  409: 'Conflict (a duplicate urlId; a scenario or secret still in use; a process whose input was not recorded whole; no SECRETS_KEY)',
  413: 'The JSON body is larger than 1 MiB',
};

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `/scenarios/:id` → `/scenarios/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/** Component schemas of a registry, without the per-schema `$schema`/`$id` (the document's dialect applies). */
function componentsOf(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `${COMPONENTS}${id}`, unrepresentable: 'any' });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema as JsonSchema]));
}

function queryParameters(query: z.ZodObject): JsonSchema[] {
  const schema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: schema.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

function jsonContent(ref: string): JsonSchema {
  return { 'application/json': { schema: { $ref: `${COMPONENTS}${ref}` } } };
}

/** Collects the schemas the operations refer to, under component names. */
class Components {
  readonly inputs = z.registry<{ id: string }>();
  readonly outputs = z.registry<{ id: string }>();
  private readonly named = new Map<z.ZodType, string>(NAMED.map(([id, schema]) => [schema, id]));

  constructor() {
    for (const [id, schema] of NAMED) this.outputs.add(schema, { id });
  }

  /** The component name of an answer's schema, registering it under `fallback` unless it has a name. */
  output(schema: z.ZodType, fallback: string): string {
    const id = this.named.get(schema);
    if (id) return id;
    this.outputs.add(schema, { id: fallback });
    return fallback;
  }

  input(schema: z.ZodType, id: string): string {
    this.inputs.add(schema, { id });
    return id;
  }

  schemas(): Record<string, JsonSchema> {
    return { ...componentsOf(this.outputs, 'output'), ...componentsOf(this.inputs, 'input') };
  }
}

/** The OpenAPI operation object of one admin operation. */
function operationObject(op: AdminOperation, components: Components): JsonSchema {
  const parameters: JsonSchema[] = [...(op.path.match(/:(\w+)/g) ?? [])].map((p) => {
    const form = op.params?.[p.slice(1)];
    const { description: _d, $schema: _s, ...schema } = form ? (z.toJSONSchema(form, { io: 'input' }) as JsonSchema) : { type: 'string' };
    return { name: p.slice(1), in: 'path', required: true, schema };
  });
  if (op.query) parameters.push(...queryParameters(op.query));
  const { success } = op;
  const responses: Record<string, JsonSchema> = {
    [success.status]: success.schema
      ? { description: success.description, content: jsonContent(components.output(success.schema, `${capitalized(op.operationId)}Response`)) }
      : { description: success.description },
  };
  if (success.also && success.schema) {
    responses[success.also.status] = { description: success.also.description, content: jsonContent(components.output(success.schema, `${capitalized(op.operationId)}Response`)) };
  }
  const errors = new Set<number>([401, ...(op.query || op.body ? [400] : []), ...(op.body ? [413] : []), ...(op.errors ?? [])]);
  for (const status of [...errors].sort()) responses[status] = { description: ERROR_TEXT[status]!, content: jsonContent('Error') };
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: jsonContent(components.input(op.body, `${capitalized(op.operationId)}Body`)) } } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the admin API, generated from the operations the router serves and the
 * zod schemas that validate their input (JSON Schema 2020-12 is OpenAPI 3.1's own dialect).
 */
export function openApiDocument(operations: readonly AdminOperation[], version: string): JsonSchema {
  const components = new Components();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[openApiPath(op.path)] ??= {})[op.method] = operationObject(op, components);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'webrequests admin API',
      version,
      description: 'Catalogs (scenarios, endpoints, secrets), process records, replays and test runs. Authenticate with `Authorization: Bearer <ADMIN_TOKEN>`, or HTTP Basic with the token as password.',
    },
    servers: [{ url: '/api/admin' }],
    security: [{ bearer: [] }, { basic: [] }],
    tags: [
      { name: 'scenarios', description: 'JavaScript scenarios' },
      { name: 'webrequests', description: 'Endpoints: a public URL identifier bound to a scenario' },
      { name: 'secrets', description: 'Named secrets for endpoint authentication and scenarios; values are write-only' },
      { name: 'processes', description: 'Records of scenario runs, replays and test runs' },
      { name: 'meta', description: 'This document' },
    ],
    paths,
    components: {
      schemas: components.schemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        basic: { type: 'http', scheme: 'basic', description: 'Any user name, ADMIN_TOKEN as password' },
      },
    },
  };
}
