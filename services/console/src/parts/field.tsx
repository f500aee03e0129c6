import { createContext, type ComponentChildren } from 'preact';
import { useContext, useId } from 'preact/hooks';

/** The id of the control a {@link Field} labels, for the control inside it. */
const FieldId = createContext<string | undefined>(undefined);

/**
 * A labelled control, with a hint and, when a 400 named this field, the API's message under it. The
 * label names the control alone (`for`), so its accessible name is the label's text and nothing else.
 */
export function Field(props: { label: string; error?: string | null; hint?: string; children: ComponentChildren }) {
  const id = useId();
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {props.label}
      </label>
      <FieldId.Provider value={id}>{props.children}</FieldId.Provider>
      {props.hint && <span class="hint">{props.hint}</span>}
      {props.error && (
        <span class="error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** A one-line text input bound to a string (`password`: its value is not shown). */
export function TextInput(props: { value: string; onInput: (value: string) => void; password?: boolean; autocomplete?: string }) {
  const id = useContext(FieldId);
  const onInput = (e: Event) => props.onInput((e.target as HTMLInputElement).value);
  if (props.password) return <input id={id} type="password" value={props.value} autocomplete={props.autocomplete} onInput={onInput} />;
  return <input id={id} type="text" value={props.value} autocomplete={props.autocomplete} onInput={onInput} />;
}

/** A `datetime-local` input bound to its local-time text (`2026-12-01T17:20`, or '' when cleared). */
export function DateTimeInput(props: { value: string; onInput: (value: string) => void }) {
  return <input id={useContext(FieldId)} type="datetime-local" value={props.value} onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} />;
}

/** A multi-line text input bound to a string. */
export function TextArea(props: { value: string; onInput: (value: string) => void; rows: number }) {
  const id = useContext(FieldId);
  return <textarea id={id} rows={props.rows} value={props.value} onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)} />;
}

/** A select over fixed options (value = label). */
export function Select(props: { value: string; options: Array<string | { value: string; label: string }>; onChange: (value: string) => void }) {
  return (
    <select id={useContext(FieldId)} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
      {props.options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o)).map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** A message line: an error (role alert) or a notice (role status). */
export function Notice(props: { error?: string | null; text?: string | null }) {
  if (props.error) return <p class="error" role="alert">{props.error}</p>;
  if (props.text) return <p class="notice" role="status">{props.text}</p>;
  return null;
}

/** Any value as pretty JSON. */
export function Json(props: { value: unknown; label?: string }) {
  return <pre class="json" aria-label={props.label}>{JSON.stringify(props.value, null, 2)}</pre>;
}
