import { useState } from 'preact/hooks';
import { api, errorText, type Page, type SecretInfo } from '../api';
import { DataTable } from '../parts/data-table';
import { Field, Notice, TextInput } from '../parts/field';
import { useApi } from '../use-api';

/** The secrets by name; set or replace one (the value is write-only), delete one. */
export function SecretsPage() {
  const secrets = useApi<Page<SecretInfo>>('/secrets');
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (what: () => Promise<unknown>, message: string) => {
    try {
      await what();
      await secrets.reload();
      setError(null);
      setDone(message);
    } catch (failure) {
      setDone(null);
      setError(errorText(failure));
    }
  };
  const put = (e: Event) => {
    e.preventDefault();
    void run(() => api('PUT', `/secrets/${encodeURIComponent(name)}`, { value }), `Secret ${name} set.`).then(() => setValue(''));
  };
  const remove = (secret: string) => void run(() => api('DELETE', `/secrets/${encodeURIComponent(secret)}`), `Secret ${secret} deleted.`);
  return (
    <section>
      <h1>Secrets</h1>
      <form class="grid" onSubmit={put} aria-label="Set a secret">
        <Field label="Secret name">
          <TextInput value={name} onInput={setName} />
        </Field>
        <Field label="Value" hint="Write-only: never shown again.">
          <TextInput password value={value} onInput={setValue} autocomplete="new-password" />
        </Field>
        <div class="actions">
          <button type="submit">Set secret</button>
        </div>
      </form>
      <Notice error={error ?? secrets.error} text={done} />
      <DataTable
        label="Secrets"
        columns={['Name', 'Updated', '']}
        rows={secrets.data?.items.map((s) => ({
          key: s.name,
          cells: [
            s.name,
            new Date(s.updatedAt).toLocaleString(),
            <button type="button" class="danger" aria-label={`Delete ${s.name}`} onClick={() => remove(s.name)}>
              Delete
            </button>,
          ],
        }))}
      />
    </section>
  );
}
