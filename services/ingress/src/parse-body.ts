import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import qs from 'qs';
import { InvalidBodyError, type FilePart } from '@webrequests/contracts';

/** A request body as the scenario sees it (SPEC §3 `body`, `files`, `rawBody`). */
export interface ParsedBody {
  body: unknown;
  files: FilePart[];
  rawBody: string;
  /** How `body` comes back from `rawBody`, when it does (see JobPayload.bodyFrom). */
  bodyFrom?: 'rawBody' | 'json';
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript|graphql|x-ndjson)|[^;]*\+(json|xml))/i;

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Whether content of this type is JSON (`application/json` or any `+json` type). */
export function isJsonContentType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type.endsWith('+json');
}

/** Whether content of this type is text (handed over as UTF-8 text) rather than bytes (as base64); no type counts as text. */
export function isTextContentType(contentType: string | undefined): boolean {
  return contentType === undefined || TEXT_TYPES.test(contentType.trim());
}

/** Deepest JSON body accepted: far beyond real payloads, far below what overflows the stack downstream. */
const MAX_JSON_DEPTH = 512;

/** Whether `value` nests objects/arrays deeper than `limit`; iterative, so it cannot overflow itself. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > limit) return true;
    for (const inner of Object.values(item)) pending.push([inner, depth + 1]);
  }
  return false;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidBodyError(`malformed JSON body: ${(error as Error).message}`);
  }
  // Deeper bodies parse, but JSON.stringify (store, queue, sandbox) then overflows the stack and the
  // caller would be told the store is down.
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw new InvalidBodyError(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}

/**
 * Parses the raw bytes of a request by its declared content type: JSON → the value; urlencoded and
 * multipart → an object of fields (nested `a[b]` names as in the query string); other text → the string;
 * binary → its base64. No body → `{}`. A malformed JSON or form body throws {@link InvalidBodyError}.
 */
export async function parseBody(raw: Buffer, headers: IncomingHttpHeaders): Promise<ParsedBody> {
  const contentType = headers['content-type'];
  const text = isTextContentType(contentType);
  const rawBody = text ? raw.toString('utf8') : raw.toString('base64');
  if (raw.length === 0) return { body: {}, files: [], rawBody };
  if (isJsonContentType(contentType)) return { body: parseJson(rawBody), files: [], rawBody, bodyFrom: 'json' };
  const type = mediaType(contentType);
  if (type === 'application/x-www-form-urlencoded') return { body: qs.parse(rawBody), files: [], rawBody };
  if (type === 'multipart/form-data') return { ...(await parseMultipart(raw, headers)), rawBody };
  return { body: rawBody, files: [], rawBody, bodyFrom: 'rawBody' };
}

function parseMultipart(raw: Buffer, headers: IncomingHttpHeaders): Promise<{ body: unknown; files: FilePart[] }> {
  return new Promise((resolve, reject) => {
    const fields = new URLSearchParams();
    const files: FilePart[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, defParamCharset: 'utf8' });
    } catch (error) {
      reject(new InvalidBodyError(`malformed multipart body: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => fields.append(name, value));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      // A truncated form errors the file stream too; unheard, that 'error' event would crash the ingress.
      stream.on('error', (error: Error) => reject(new InvalidBodyError(`malformed multipart body: ${error.message}`)));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        files.push({ field, filename: info.filename ?? '', contentType: info.mimeType, size: data.length, base64: data.toString('base64') });
      });
    });
    parser.on('error', (error: Error) => reject(new InvalidBodyError(`malformed multipart body: ${error.message}`)));
    parser.on('close', () => resolve({ body: qs.parse(fields.toString()), files }));
    parser.end(raw);
  });
}
