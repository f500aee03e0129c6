import { adminOperations } from './admin-router';
import { openApiDocument } from './openapi';

type Json = Record<string, unknown>;

/** The admin API's OpenAPI document, built from its operations without a store (nothing is called). */
export function adminApiDocument(version: string): Json {
  const operations = adminOperations({
    store: {} as never,
    checkSyntax: () => null,
    abortProcess: async () => undefined,
    withdrawProcess: async () => false,
    runs: {} as never,
    secretKeeping: { box: null, announceChange: async () => undefined },
    version,
  });
  return openApiDocument(operations, version) as Json;
}

/** The objects the reference describes field by field at its end. */
const OBJECTS = ['Scenario', 'Webrequest', 'Process', 'Secret', 'TestAnswer', 'Error'];

const cell = (text: unknown): string => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A JSON schema in a few words: `string`, `integer 1–500`, `"a" \| "b"`, `Scenario`, `array of …`. */
function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').at(-1)!;
    return OBJECTS.includes(name) ? `[${name}](#${name.toLowerCase()})` : name;
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(schema[key])) return (schema[key] as Json[]).map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `array of ${typeOf(schema.items as Json)}`;
  if (schema.type === 'object' && schema.properties) return `object (${Object.keys(schema.properties as Json).join(', ')})`;
  const range = schema.minimum !== undefined || schema.maximum !== undefined ? ` ${schema.minimum ?? ''}–${schema.maximum ?? ''}` : '';
  return `${Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type ?? 'any')}${range}`;
}

function fieldsTable(schema: Json): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(properties).map(([name, property]) => `| \`${name}\` | ${cell(typeOf(property))} | ${required.has(name) ? 'yes' : ''} | ${cell(property.description)} |`);
  return rows.length ? ['| field | type | required | meaning |', '| --- | --- | --- | --- |', ...rows] : [];
}

/**
 * docs/api.md: the admin API reference, written from the same OpenAPI document the API serves at
 * `/api/admin/openapi.json`, so that it cannot drift from what the API enforces (a test compares them).
 */
export function apiReferenceMarkdown(document: Json): string {
  const out = [
    '# Admin API reference',
    '',
    '<!-- Generated from the OpenAPI document by `npm run docs:api`; do not edit by hand (a test compares it). -->',
    '',
    String((document.info as Json).description),
    'Every path is under `/api/admin`. The document itself is `GET /api/admin/openapi.json` (OpenAPI 3.1).',
    'Errors answer `{"error": {"code", "message", "field"?}}` ([Error](#error)).',
    '',
  ];
  const schemas = (document.components as Json).schemas as Record<string, Json>;
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(methods)) {
      out.push(`## ${method.toUpperCase()} ${path}`, '', `${op.summary}.${op.description ? ` ${op.description}` : ''}`, '');
      const parameters = (op.parameters as Json[] | undefined) ?? [];
      if (parameters.length) {
        out.push('| parameter | in | type | meaning |', '| --- | --- | --- | --- |');
        for (const p of parameters) out.push(`| \`${p.name}\` | ${p.in}${p.required ? ' (required)' : ''} | ${cell(typeOf(p.schema as Json))} | ${cell(p.description)} |`);
        out.push('');
      }
      const body = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
      if (body) {
        const ref = String((body.schema as Json).$ref).split('/').at(-1)!;
        out.push('Body (JSON):', '', ...fieldsTable(schemas[ref]!), '');
      }
      out.push('| status | answer |', '| --- | --- |');
      for (const [status, answer] of Object.entries(op.responses as Record<string, Json>)) {
        const schema = ((answer.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
        out.push(`| ${status} | ${cell(answer.description)}${schema ? ` (${typeOf(schema)})` : ''} |`);
      }
      out.push('');
    }
  }
  out.push('## Objects', '');
  for (const name of OBJECTS) {
    out.push(`### ${name}`, '', ...fieldsTable(schemas[name]!), '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
