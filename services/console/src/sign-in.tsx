import { useState } from 'preact/hooks';
import { api, errorText, session } from './api';
import { Field, Notice, TextInput } from './parts/field';

/** Asks for the admin token and keeps it for this browser session once the API accepts it. */
export function SignIn(props: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('GET', '/secrets', undefined, token.trim());
      session.signIn(token.trim());
      props.onSignedIn();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <main class="sign-in">
      <h1>webrequests console</h1>
      <form onSubmit={submit}>
        <Field label="Admin token" hint="ADMIN_TOKEN; kept for this browser session only.">
          <TextInput password value={token} onInput={setToken} autocomplete="current-password" />
        </Field>
        <button type="submit">Sign in</button>
        <Notice error={error} />
      </form>
    </main>
  );
}
