/**
 * An endpoint's protection (SPEC §10): who may call it, which repeated deliveries it ignores, how much
 * of the service it may take, and which secrets its scenario reads. All of it is checked by the ingress
 * before a process exists, except `secrets`, which the worker resolves per run.
 */

/** The signature schemes of `hmac` authentication. */
export const HMAC_PRESETS = ['github', 'stripe', 'slack', 'shopify', 'standard-webhooks', 'custom'] as const;
export type HmacPreset = (typeof HMAC_PRESETS)[number];

export const HMAC_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;
export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];

/** What a caller must send (SPEC §10's table); `secret` names a secret of the catalog, never a value. */
export type EndpointAuth =
  | { type: 'none' }
  | { type: 'bearer'; secret: string }
  | { type: 'header'; header: string; secret: string }
  | { type: 'basic'; username: string; secret: string }
  | {
      type: 'hmac';
      preset: Exclude<HmacPreset, 'custom'>;
      secret: string;
      /** How old a signed timestamp may be, for the schemes that sign one (default 300). */
      toleranceSeconds?: number;
    }
  | {
      type: 'hmac';
      preset: 'custom';
      secret: string;
      /** The header carrying the signature of the raw body. */
      header: string;
      algorithm: HmacAlgorithm;
      encoding: 'hex' | 'base64';
      /** Text before the signature in the header, e.g. `sha256=`. */
      prefix?: string;
    };

export type AuthType = EndpointAuth['type'];

/** Where a delivery's de-duplication key comes from: `header:<name>`, `query:<name>` or `body:<dot.path>`. */
export interface EndpointDedup {
  /** Default: the preset's delivery id (GitHub `header:X-GitHub-Delivery`, Stripe `body:id`, …). */
  key?: string;
  /** How long a key is remembered, in seconds. */
  windowSeconds: number;
}

/** The protection fields of an endpoint; every one optional (absent: no such check). */
export interface EndpointProtection {
  /** Names of the secrets the scenario reads as `secrets.NAME`. */
  secrets?: string[];
  auth?: EndpointAuth;
  /** CIDR ranges (IPv4 and IPv6) the caller's address must be in. */
  allowIps?: string[];
  dedup?: EndpointDedup;
  /** This endpoint's sync deadline in milliseconds, at most SYNC_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Processes of this endpoint queued or running at once, across every ingress; over it: 429. */
  maxConcurrent?: number;
}

/** What the scenario sees of the authentication that passed, as `event.auth`. */
export interface PassedAuth {
  type: AuthType;
  preset?: HmacPreset;
}

/** A secret as the admin API shows it: never its value. */
export interface SecretInfo {
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** A secret as the store keeps it: AES-256-GCM ciphertext, each part base64. */
export interface SealedSecret {
  name: string;
  /** Which key sealed it: the first 8 hex characters of the key's SHA-256. */
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Secret names: what a scenario can write after `secrets.` or in brackets, and a manifest can name. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
