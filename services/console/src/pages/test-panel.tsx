import { useState } from 'preact/hooks';
import { api, errorText, type TestAnswer } from '../api';
import { Field, Notice, Select, TextArea, TextInput } from '../parts/field';
import { TestAnswerView } from './test-answer';
// A real delivery of the shared corpus (test/fixtures/github-webhooks/ping/payload.json, unchanged).
import githubPing from './github-ping.json';

const METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'];
const PRESETS: Record<'JSON' | 'form' | 'GitHub', () => { headers: string; body: string }> = {
  JSON: () => ({ headers: 'content-type: application/json', body: '{\n  "hello": "world"\n}' }),
  form: () => ({ headers: 'content-type: application/x-www-form-urlencoded', body: 'name=ann&color=blue' }),
  // A GitHub webhook delivery as GitHub sends it (a fresh delivery id each time; unsigned).
  GitHub: () => ({
    headers: `Content-Type: application/json\nX-GitHub-Event: ping\nX-GitHub-Delivery: ${uuid()}`,
    body: JSON.stringify(githubPing, null, 2),
  }),
};

/**
 * Composes a request and runs the endpoint's scenario on it through `POST /webrequests/{id}/test`
 * (same queue and sandbox as a real call), showing what the caller would get.
 */
export function TestPanel(props: { endpointId: string }) {
  const [method, setMethod] = useState('POST');
  const [path, setPath] = useState('');
  const [query, setQuery] = useState('');
  const [headers, setHeaders] = useState(PRESETS.JSON().headers);
  const [body, setBody] = useState(PRESETS.JSON().body);
  const [answer, setAnswer] = useState<TestAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const preset = (name: keyof typeof PRESETS) => {
    const chosen = PRESETS[name]();
    setMethod('POST');
    setHeaders(chosen.headers);
    setBody(chosen.body);
  };
  const send = async (e: Event) => {
    e.preventDefault();
    setSending(true);
    try {
      const request = { method, path: path || undefined, query: parseQuery(query), headers: parseHeaders(headers), body: method === 'GET' ? undefined : body };
      setAnswer(await api<TestAnswer>('POST', `/webrequests/${encodeURIComponent(props.endpointId)}/test`, request));
      setError(null);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSending(false);
    }
  };
  return (
    <section class="test-panel" aria-label="Test">
      <h2>Test</h2>
      <form class="stack" onSubmit={send}>
        <div class="grid">
          <Field label="Method">
            <Select value={method} options={METHODS} onChange={setMethod} />
          </Field>
          <Field label="Path suffix" hint="e.g. /items/7">
            <TextInput value={path} onInput={setPath} />
          </Field>
          <Field label="Query" hint="a=1&b=2">
            <TextInput value={query} onInput={setQuery} />
          </Field>
        </div>
        <Field label="Headers" hint="One Name: value per line.">
          <TextArea rows={3} value={headers} onInput={setHeaders} />
        </Field>
        <Field label="Body">
          <TextArea rows={5} value={body} onInput={setBody} />
        </Field>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => preset('JSON')}>
            JSON body
          </button>
          <button type="button" class="secondary" onClick={() => preset('form')}>
            Form body
          </button>
          <button type="button" class="secondary" onClick={() => preset('GitHub')}>
            GitHub ping
          </button>
          <button type="submit" disabled={sending}>
            Send
          </button>
        </div>
      </form>
      <Notice error={error} />
      {answer && <TestAnswerView answer={answer} />}
    </section>
  );
}

function parseQuery(text: string): Record<string, string | string[]> | undefined {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text.replace(/^\?/, ''))) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return Object.keys(query).length ? query : undefined;
}

function parseHeaders(text: string): Record<string, string> | undefined {
  const entries = text
    .split('\n')
    .map((line) => /^\s*([^:\s]+)\s*:\s*(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!.trim()]);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** A random v4 UUID (crypto.randomUUID exists on https and localhost only; getRandomValues everywhere). */
function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
