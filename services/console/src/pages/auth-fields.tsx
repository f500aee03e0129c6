import { Field, Select, TextInput } from '../parts/field';
import type { AuthDraft } from './endpoint-draft';

const AUTH_TYPES = ['none', 'bearer', 'header', 'basic', 'hmac'];
const HMAC_PRESETS = ['github', 'stripe', 'slack', 'shopify', 'standard-webhooks', 'custom'];

/** The `auth` part of the endpoint form: the type, then the fields that type needs (SPEC §10). */
export function AuthFields(props: { auth: AuthDraft; onChange: (auth: AuthDraft) => void; fieldError: (field: string) => string | null }) {
  const { auth, fieldError } = props;
  const set = (change: Partial<AuthDraft>) => props.onChange({ ...auth, ...change });
  const text = (label: string, key: keyof AuthDraft, hint?: string) => (
    <Field label={label} hint={hint} error={fieldError(`auth.${key}`)}>
      <TextInput value={auth[key]} onInput={(value) => set({ [key]: value })} />
    </Field>
  );
  const custom = auth.type === 'hmac' && auth.preset === 'custom';
  return (
    <fieldset>
      <legend>Authentication</legend>
      <Field label="Auth type" error={fieldError('auth') ?? fieldError('auth.type')}>
        <Select value={auth.type} options={AUTH_TYPES} onChange={(type) => set({ type })} />
      </Field>
      {auth.type === 'hmac' && (
        <Field label="HMAC preset" error={fieldError('auth.preset')}>
          <Select value={auth.preset} options={HMAC_PRESETS} onChange={(preset) => set({ preset })} />
        </Field>
      )}
      {(auth.type === 'header' || custom) && text('Header', 'header', custom ? 'The header carrying the signature.' : 'e.g. X-Api-Key')}
      {auth.type === 'basic' && text('Username', 'username')}
      {auth.type !== 'none' && text('Secret name', 'secret', 'The name of a secret (Secrets page), never its value.')}
      {auth.type === 'hmac' && !custom && text('Tolerance (seconds)', 'toleranceSeconds', 'For signed timestamps; default 300.')}
      {custom && (
        <>
          <Field label="Algorithm" error={fieldError('auth.algorithm')}>
            <Select value={auth.algorithm} options={['sha1', 'sha256', 'sha512']} onChange={(algorithm) => set({ algorithm })} />
          </Field>
          <Field label="Encoding" error={fieldError('auth.encoding')}>
            <Select value={auth.encoding} options={['hex', 'base64']} onChange={(encoding) => set({ encoding })} />
          </Field>
          {text('Prefix', 'prefix', 'Text before the signature, e.g. sha256=')}
        </>
      )}
    </fieldset>
  );
}
