import { Agent, fetch, type Dispatcher } from 'undici';
import { addressRange, ipLiteral, publicOnlyLookup, refusedAddress } from './address-guard';
import type { FetchAllowList } from './fetch-allow-list';
import { FETCH_OFF, MAX_REDIRECTS, MAX_RESPONSE_BYTES, type FetchAnswer, type OutboundFetch, type OutboundRequest } from './outbound-fetch';
import { ScenarioFetchError } from './scenario-fetch-error';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Headers a redirect to another origin drops, as browsers do: they are meant for the first one. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new ScenarioFetchError(`fetch failed: ${JSON.stringify(text.slice(0, 200))} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ScenarioFetchError(`fetch refused: only http and https URLs are allowed, not ${url.protocol}`);
  return url;
}

function failureOf(error: unknown, url: URL, signal: AbortSignal): ScenarioFetchError {
  if (error instanceof ScenarioFetchError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof ScenarioFetchError) return cause;
  if (signal.aborted) return new ScenarioFetchError('fetch aborted: the run ended');
  const reason = (cause ?? error) as { message?: unknown; code?: unknown } | null;
  const detail = [reason?.code, reason?.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return new ScenarioFetchError(`fetch ${url.origin} failed: ${detail || String(error)}`, { cause: error });
}

function headersOf(response: Response): Record<string, string> {
  const headers = Object.create(null) as Record<string, string>;
  response.headers.forEach((value, name) => {
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  });
  return headers;
}

type Response = Awaited<ReturnType<typeof fetch>>;

/**
 * The host side of a scenario's `fetch`: checks every hop's host against the allow-list, connects to
 * public addresses only (checked on the address actually connected to) unless the host is listed
 * literally, follows up to {@link MAX_REDIRECTS} redirects itself so that each hop is checked, and
 * reads the body whole, up to {@link MAX_RESPONSE_BYTES}. Every failure is a {@link ScenarioFetchError}.
 */
export class HostFetch implements OutboundFetch {
  /** For hosts the operator listed literally: any address they resolve to. */
  private readonly open: Agent;
  /** For hosts allowed by a wildcard: public addresses only. */
  private readonly guarded: Agent;

  constructor(
    private readonly allow: FetchAllowList,
    private readonly maxBytes = MAX_RESPONSE_BYTES,
  ) {
    this.open = new Agent();
    this.guarded = new Agent({ connect: { lookup: publicOnlyLookup } });
  }

  /** Whether the allow-list lets a scenario fetch anything at all. */
  get enabled(): boolean {
    return this.allow.enabled;
  }

  /** Fetches `request`, aborted by `signal`; rejects with a {@link ScenarioFetchError}. */
  async fetch(request: OutboundRequest, signal: AbortSignal): Promise<FetchAnswer> {
    if (!this.allow.enabled) throw new ScenarioFetchError(FETCH_OFF);
    let url = parseUrl(request.url);
    let { method, headers, body } = request;
    for (let hop = 0; ; hop++) {
      const dispatcher = this.dispatcherFor(url, hop > 0);
      const response = await this.send(url, { method, headers, body }, dispatcher, signal);
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (location === null) return this.answer(response, url, hop > 0, signal);
      await response.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw new ScenarioFetchError(`fetch failed: more than ${MAX_REDIRECTS} redirects from ${request.url}`);
      const next = parseUrl(location, url);
      if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = null;
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'content-type' && name !== 'content-length'));
      }
      if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)));
      url = next;
    }
  }

  private dispatcherFor(url: URL, redirected: boolean): Dispatcher {
    const match = this.allow.match(url);
    if (match === null) {
      const what = redirected ? `a redirect to ${url.host}` : url.host;
      throw new ScenarioFetchError(`fetch refused: ${what} is not in SCENARIO_FETCH_ALLOW`);
    }
    if (match === 'literal') return this.open;
    // A socket connects to an IP literal without any lookup: check it here.
    const address = ipLiteral(url.hostname);
    if (address !== null && addressRange(address) !== 'unicast') throw refusedAddress(address, address);
    return this.guarded;
  }

  private async send(url: URL, request: Omit<OutboundRequest, 'url'>, dispatcher: Dispatcher, signal: AbortSignal): Promise<Response> {
    try {
      return await fetch(url.href, { ...request, redirect: 'manual', dispatcher, signal });
    } catch (error) {
      throw failureOf(error, url, signal);
    }
  }

  private async answer(response: Response, url: URL, redirected: boolean, signal: AbortSignal): Promise<FetchAnswer> {
    const tooLarge = () => new ScenarioFetchError(`fetch failed: the response from ${url.origin} is larger than ${this.maxBytes} bytes`);
    if (Number(response.headers.get('content-length')) > this.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      // Leaving the loop early (the throw) cancels the stream.
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > this.maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (error) {
      throw failureOf(error, url, signal);
    }
    return { status: response.status, statusText: response.statusText, url: url.href, redirected, headers: headersOf(response), body: Buffer.concat(chunks, size) };
  }
}
