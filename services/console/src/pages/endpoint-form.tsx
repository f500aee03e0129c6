import { useState } from 'preact/hooks';
import { api, ApiError, errorText, type Scenario, type WebRequest } from '../api';
import { Field, Notice, Select, TextArea, TextInput } from '../parts/field';
import { AuthFields } from './auth-fields';
import { toBody, toDraft, type EndpointDraft } from './endpoint-draft';

/** The fields a 400 may name that this form shows next to a control. */
const SHOWN_FIELDS = ['name', 'description', 'urlId', 'scriptId', 'status', 'corsOrigins', 'secrets', 'allowIps', 'auth', 'dedup', 'timeoutMs', 'maxConcurrent'];

/** Creates or updates an endpoint: every field of SPEC §5 and §10, each 400 shown at its field. */
export function EndpointForm(props: { endpoint: WebRequest | undefined; scenarios: Scenario[]; onSaved: (endpoint: WebRequest) => void }) {
  const isNew = props.endpoint === undefined;
  const [draft, setDraft] = useState<EndpointDraft>(() => ({ ...toDraft(props.endpoint), scriptId: props.endpoint?.scriptId ?? props.scenarios[0]?.id ?? '' }));
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const edit = (change: Partial<EndpointDraft>) => {
    setDraft({ ...draft, ...change });
    setSaved(null);
  };
  const fieldError = (field: string) => (failure?.field !== undefined && namesField(failure.field, field) ? failure.message : null);
  const unplaced = failure && !SHOWN_FIELDS.some((f) => failure.field === f || failure.field?.startsWith(`${f}.`)) ? failure.message : null;
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const body = toBody(draft, isNew);
      const endpoint = isNew ? await api<WebRequest>('POST', '/webrequests', body) : await api<WebRequest>('PATCH', `/webrequests/${encodeURIComponent(props.endpoint!.id)}`, body);
      setFailure(null);
      setSaved('Saved.');
      props.onSaved(endpoint);
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError(0, 'error', errorText(error)));
    }
  };
  const text = (label: string, key: 'name' | 'description' | 'urlId' | 'timeoutMs' | 'maxConcurrent', hint?: string) => (
    <Field label={label} hint={hint} error={fieldError(key)}>
      <TextInput value={draft[key]} onInput={(value) => edit({ [key]: value })} />
    </Field>
  );
  const lines = (label: string, key: 'corsOrigins' | 'secrets' | 'allowIps', hint: string) => (
    <Field label={label} hint={hint} error={fieldError(key)}>
      <TextArea rows={2} value={draft[key]} onInput={(value) => edit({ [key]: value })} />
    </Field>
  );
  return (
    <form class="stack" onSubmit={save} aria-label="Endpoint">
      <div class="grid">
        {text('Name', 'name')}
        {text('URL id', 'urlId', 'The public URL is /api/webrequest/<URL id>.')}
        {text('Description', 'description')}
        <Field label="Scenario" error={fieldError('scriptId')}>
          <Select value={draft.scriptId} options={props.scenarios.map((s) => ({ value: s.id, label: s.name }))} onChange={(scriptId) => edit({ scriptId })} />
        </Field>
        <Field label="Status" error={fieldError('status')}>
          <Select value={draft.status} options={['active', 'disabled']} onChange={(status) => edit({ status: status as EndpointDraft['status'] })} />
        </Field>
        {text('Timeout (ms)', 'timeoutMs', 'Sync deadline, at most SYNC_TIMEOUT_MS.')}
        {text('Max concurrent', 'maxConcurrent', 'Processes queued or running at once; over it: 429.')}
      </div>
      <div class="grid">
        {lines('CORS origins', 'corsOrigins', 'One per line: https://example.com, or *.')}
        {lines('Secrets', 'secrets', 'Names the scenario reads as secrets.NAME, comma separated.')}
        {lines('Allowed IPs', 'allowIps', 'CIDR ranges, one per line; empty: any address.')}
      </div>
      <AuthFields auth={draft.auth} onChange={(auth) => edit({ auth })} fieldError={fieldError} />
      <fieldset>
        <legend>De-duplication</legend>
        <div class="grid">
          <Field label="Dedup key" hint="header:<name>, query:<name> or body:<dot.path>; empty: the preset's." error={fieldError('dedup.key')}>
            <TextInput value={draft.dedupKey} onInput={(dedupKey) => edit({ dedupKey })} />
          </Field>
          <Field label="Dedup window (seconds)" error={fieldError('dedup') ?? fieldError('dedup.windowSeconds')}>
            <TextInput value={draft.dedupWindowSeconds} onInput={(dedupWindowSeconds) => edit({ dedupWindowSeconds })} />
          </Field>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit">Save</button>
        <Notice error={unplaced} text={saved} />
      </div>
    </form>
  );
}

/** Whether a 400's `field` (`corsOrigins.2`, `auth.secret`) is the form field `name` or an item of its list. */
function namesField(field: string, name: string): boolean {
  return field === name || (field.startsWith(`${name}.`) && /^\d/.test(field.slice(name.length + 1)));
}
