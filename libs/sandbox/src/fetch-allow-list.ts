/** How a URL's host matched the allow-list: named literally (the operator means that very host), or by a wildcard. */
export type HostMatch = 'literal' | 'wildcard';

interface HostPattern {
  /** A WHATWG-normalised hostname (`[::1]` for IPv6), or the suffix after `*.`; null for `*`. */
  host: string | null;
  wildcard: boolean;
  /** Null: any port. */
  port: number | null;
}

const PATTERN = /^(\*|\*\.[^:[\]]+|\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

function normalisedHost(host: string, pattern: string): string {
  try {
    const url = new URL(`http://${host}/`);
    if (url.username || url.password || url.pathname !== '/') throw new Error('not a bare host');
    return url.hostname;
  } catch {
    throw new RangeError(`SCENARIO_FETCH_ALLOW: "${pattern}" is not a host pattern (host, host:port, *.domain or *)`);
  }
}

function parsePattern(raw: string): HostPattern {
  const pattern = raw.trim().toLowerCase();
  const match = PATTERN.exec(pattern);
  if (!match) throw new RangeError(`SCENARIO_FETCH_ALLOW: "${raw}" is not a host pattern (host, host:port, *.domain or *; IPv6 in brackets)`);
  const [, host, portText] = match;
  const port = portText === undefined ? null : Number(portText);
  if (port !== null && (port < 1 || port > 65535)) throw new RangeError(`SCENARIO_FETCH_ALLOW: "${raw}" has an invalid port`);
  if (host === '*') return { host: null, wildcard: true, port };
  if (host.startsWith('*.')) return { host: normalisedHost(host.slice(2), raw), wildcard: true, port };
  return { host: normalisedHost(host, raw), wildcard: false, port };
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * The hosts a scenario's `fetch` may reach (`SCENARIO_FETCH_ALLOW`): `api.example.com` (any port),
 * `api.example.com:8443`, `*.example.com` (any subdomain, not `example.com` itself) or `*` (any host).
 * Empty means `fetch` is off.
 */
export class FetchAllowList {
  private constructor(private readonly patterns: readonly HostPattern[]) {}

  /** Parses the patterns; throws a RangeError naming the first one that is not a host pattern. */
  static parse(patterns: readonly string[]): FetchAllowList {
    return new FetchAllowList(patterns.filter((p) => p.trim() !== '').map(parsePattern));
  }

  /** Whether any host is allowed at all. */
  get enabled(): boolean {
    return this.patterns.length > 0;
  }

  /** How `url`'s host and port are allowed (a literal pattern wins over a wildcard), or null if not at all. */
  match(url: URL): HostMatch | null {
    const port = portOf(url);
    let found: HostMatch | null = null;
    for (const pattern of this.patterns) {
      if (pattern.port !== null && pattern.port !== port) continue;
      if (!pattern.wildcard && pattern.host === url.hostname) return 'literal';
      if (pattern.wildcard && (pattern.host === null || url.hostname.endsWith(`.${pattern.host}`))) found = 'wildcard';
    }
    return found;
  }
}
