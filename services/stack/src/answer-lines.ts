import { STATUS_CODES } from 'node:http';
import type { LogEntry, ProcessError, ResponseSpec } from '@webrequests/contracts';
import { isJsonContentType, isTextContentType } from '@webrequests/ingress';

/** The first value of a header, whatever the case of its name. */
function headerOf(headers: ResponseSpec['headers'], name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return Array.isArray(found?.[1]) ? found[1][0] : found?.[1];
}

/** The body as a person reads it: JSON pretty-printed, text as is, bytes as a note of their size and type. */
function bodyLines(bytes: Buffer | null, contentType: string | undefined): string[] {
  if (bytes === null || bytes.length === 0) return ['(empty body)'];
  const text = bytes.toString('utf8');
  const isUtf8 = Buffer.from(text, 'utf8').equals(bytes);
  if (isUtf8 && contentType && isJsonContentType(contentType)) {
    try {
      return [JSON.stringify(JSON.parse(text), null, 2)];
    } catch {
      // Not JSON after all (a scenario's own Content-Type over a text body): shown as the text it is.
    }
  }
  if (isUtf8 && isTextContentType(contentType)) return [text];
  return [`(binary body: ${bytes.length} bytes, ${contentType ?? 'no content type'})`];
}

/**
 * An answer as its caller would get it, for a terminal: the status line, one `Name: value` line per
 * header value, a blank line, then the body (see {@link bodyLines}).
 */
export function answerLines(response: ResponseSpec): string[] {
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd()];
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  const bytes = response.bodyBase64 === null ? null : Buffer.from(response.bodyBase64, 'base64');
  return [...lines, '', ...bodyLines(bytes, headerOf(response.headers, 'content-type'))];
}

/**
 * How a failed process reads: `code: message`, the message ending with the scenario line
 * (`scenario_failed: TypeError: … (line 4, column 12)`), then the scenario's frames when there are
 * several (the error was thrown in a function the scenario called).
 */
export function errorLines(error: ProcessError): string[] {
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [`${error.code}: ${error.message}`, ...(frames.length > 1 ? frames : [])];
}

/** The scenario's logs, one entry a line (`  warn   message`, later lines of a message indented alike), or `logs: none`. */
export function logLines(logs: readonly LogEntry[]): string[] {
  if (logs.length === 0) return ['logs: none'];
  const lines = [`logs (${logs.length}):`];
  for (const entry of logs) {
    const [first, ...rest] = entry.message.split('\n');
    lines.push(`  ${entry.level.padEnd(6)} ${first}`, ...rest.map((line) => `         ${line}`));
  }
  return lines;
}
