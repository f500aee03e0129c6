import type { WebRequest } from '../api';

/** The endpoint form's state: every field as the text the user typed. */
export interface EndpointDraft {
  name: string;
  description: string;
  urlId: string;
  scriptId: string;
  status: 'active' | 'disabled';
  corsOrigins: string;
  secrets: string;
  allowIps: string;
  auth: AuthDraft;
  dedupKey: string;
  dedupWindowSeconds: string;
  timeoutMs: string;
  maxConcurrent: string;
}

export interface AuthDraft {
  type: string;
  secret: string;
  header: string;
  username: string;
  preset: string;
  toleranceSeconds: string;
  algorithm: string;
  encoding: string;
  prefix: string;
}

const NO_AUTH: AuthDraft = { type: 'none', secret: '', header: '', username: '', preset: 'github', toleranceSeconds: '', algorithm: 'sha256', encoding: 'hex', prefix: '' };

/** The form's state for an endpoint (or a new one). */
export function toDraft(w: WebRequest | undefined): EndpointDraft {
  const auth = (w?.auth ?? {}) as Partial<Record<keyof AuthDraft, string | number>>;
  return {
    name: w?.name ?? '',
    description: w?.description ?? '',
    urlId: w?.urlId ?? '',
    scriptId: w?.scriptId ?? '',
    status: w?.status ?? 'active',
    corsOrigins: (w?.corsOrigins ?? []).join('\n'),
    secrets: (w?.secrets ?? []).join(', '),
    allowIps: (w?.allowIps ?? []).join('\n'),
    auth: { ...NO_AUTH, ...Object.fromEntries(Object.entries(auth).map(([k, v]) => [k, String(v)])) },
    dedupKey: w?.dedup?.key ?? '',
    dedupWindowSeconds: w?.dedup ? String(w.dedup.windowSeconds) : '',
    timeoutMs: w?.timeoutMs === undefined ? '' : String(w.timeoutMs),
    maxConcurrent: w?.maxConcurrent === undefined ? '' : String(w.maxConcurrent),
  };
}

/**
 * The admin API body for a draft. An emptied optional field is left out of a create and sent as null
 * in an update (which clears it), so what the form shows is what the endpoint has.
 */
export function toBody(d: EndpointDraft, isNew: boolean): Record<string, unknown> {
  const unset = isNew ? undefined : null;
  const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);
  const number = (text: string) => (text.trim() === '' ? unset : Number(text));
  const listOrUnset = (text: string) => (list(text).length ? list(text) : unset);
  const dedup = d.dedupKey || d.dedupWindowSeconds ? { ...(d.dedupKey ? { key: d.dedupKey } : {}), windowSeconds: Number(d.dedupWindowSeconds) } : unset;
  const body: Record<string, unknown> = {
    name: d.name,
    description: d.description,
    urlId: d.urlId,
    scriptId: d.scriptId,
    status: d.status,
    corsOrigins: list(d.corsOrigins),
    secrets: listOrUnset(d.secrets),
    allowIps: listOrUnset(d.allowIps),
    auth: d.auth.type === 'none' ? unset : authBody(d.auth),
    dedup,
    timeoutMs: number(d.timeoutMs),
    maxConcurrent: number(d.maxConcurrent),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

function authBody(a: AuthDraft): Record<string, unknown> {
  const optional = (key: string, value: string | number | undefined) => (value === '' || value === undefined ? {} : { [key]: value });
  switch (a.type) {
    case 'bearer':
      return { type: 'bearer', secret: a.secret };
    case 'header':
      return { type: 'header', header: a.header, secret: a.secret };
    case 'basic':
      return { type: 'basic', username: a.username, secret: a.secret };
    default:
      if (a.preset === 'custom') {
        return { type: 'hmac', preset: 'custom', secret: a.secret, header: a.header, algorithm: a.algorithm, encoding: a.encoding, ...optional('prefix', a.prefix) };
      }
      return { type: 'hmac', preset: a.preset, secret: a.secret, ...optional('toleranceSeconds', a.toleranceSeconds && Number(a.toleranceSeconds)) };
  }
}
