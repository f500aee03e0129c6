import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorLine, errorText, type Page, type Scenario, type WebRequest } from '../api';
import { CodeEditor } from '../parts/code-editor';
import { Field, Notice, TextInput } from '../parts/field';
import { href } from '../router';
import { useApi } from '../use-api';

const STARTER = "// The body of an async function: query, body, headers, secrets… are in scope.\nreturn { hello: query.name ?? 'world' };\n";

/** A scenario's editor (`id` 'new' for a new one): name, description, source; Save checks the syntax. */
export function ScenarioPage(props: { id: string }) {
  // A new scenario's id once created: the page stays (with its editor and notices), only its URL changes.
  const [id, setId] = useState(props.id);
  const isNew = id === 'new';
  const loaded = useApi<Scenario>(props.id === 'new' ? null : `/scenarios/${encodeURIComponent(props.id)}`);
  const [draft, setDraft] = useState<{ name: string; description: string; source: string } | null>(isNew ? { name: '', description: '', source: STARTER } : null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.data) setDraft({ name: loaded.data.name, description: loaded.data.description, source: loaded.data.source });
  }, [loaded.data]);

  if (!draft) return <Notice error={loaded.error} text="Loading…" />;
  const edit = (change: Partial<typeof draft>) => {
    setDraft({ ...draft, ...change });
    setSaved(null);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const scenario = isNew ? await api<Scenario>('POST', '/scenarios', draft) : await api<Scenario>('PATCH', `/scenarios/${encodeURIComponent(id)}`, draft);
      setFailure(null);
      setSaved(`Saved at ${new Date(scenario.updatedAt).toLocaleTimeString()}.`);
      if (isNew) {
        setId(scenario.id);
        history.replaceState(null, '', href('scenarios', scenario.id));
      }
    } catch (error) {
      setSaved(null);
      setFailure(error instanceof ApiError ? error : new ApiError(0, 'error', errorText(error)));
    }
  };
  const fieldError = (field: string) => (failure?.field === field ? failure.message : null);
  const line = failure?.field === 'source' ? errorLine(failure.message) : null;

  return (
    <section>
      <h1>{isNew ? 'New scenario' : `Scenario ${draft.name}`}</h1>
      <form class="stack" onSubmit={save}>
        <Field label="Name" error={fieldError('name')}>
          <TextInput value={draft.name} onInput={(name) => edit({ name })} />
        </Field>
        <Field label="Description" error={fieldError('description')}>
          <TextInput value={draft.description} onInput={(description) => edit({ description })} />
        </Field>
        <div class="field">
          <span class="field-label">Source</span>
          <CodeEditor label="Source" docKey={props.id} value={draft.source} errorLine={line} onChange={(source) => edit({ source })} />
          {failure && (
            <p class="error" role="alert">
              {line !== null && <strong>Line {line}: </strong>}
              {failure.message}
            </p>
          )}
        </div>
        <div class="actions">
          <button type="submit">Save</button>
          <Notice text={saved} />
        </div>
      </form>
      {!isNew && <UsedBy scenarioId={id} />}
    </section>
  );
}

/** The endpoints that run this scenario. */
function UsedBy(props: { scenarioId: string }) {
  const { data } = useApi<Page<WebRequest>>('/webrequests?limit=500');
  const users = data?.items.filter((w) => w.scriptId === props.scenarioId) ?? [];
  return (
    <section>
      <h2>Used by</h2>
      {users.length === 0 ? (
        <p>No endpoint runs this scenario yet. <a href={href('endpoints', 'new')}>Create one</a></p>
      ) : (
        <ul>
          {users.map((w) => (
            <li key={w.id}>
              <a href={href('endpoints', w.id)}>{w.urlId}</a> ({w.status})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
