import type { AuthFailureReason, AuthVerdict, InboundRequest } from '@webrequests/protection';

/** Pieces of header values long enough to be a signature or a token (a hex or base64 run). */
function secretLookingParts(headers: Record<string, string | string[] | undefined>): string[] {
  return Object.values(headers)
    .flat()
    .flatMap((value) => (value ?? '').split(/[\s,=:]+/))
    .filter((part) => part.length >= 12);
}

/**
 * Asserts a rejection with `reason` whose message names neither the secret nor anything that looks
 * like a signature: none of `revealing` (the secret, the headers sent, the headers a correct sender
 * would have sent), and no long hex or base64 run at all.
 */
export function expectRejected(
  verdict: AuthVerdict,
  reason: AuthFailureReason,
  revealing: { secret: string; headers?: Array<Record<string, string | string[] | undefined>> },
): string {
  expect(verdict).toEqual({ ok: false, reason, message: expect.any(String) });
  const { message } = verdict as { message: string };
  for (const part of [revealing.secret, ...(revealing.headers ?? []).flatMap(secretLookingParts)]) expect(message).not.toContain(part);
  expect(message).not.toMatch(/[0-9a-fA-F]{16}|[A-Za-z0-9+/]{24}/);
  return message;
}

/** A request as the ingress hands it to `verifyAuth`; a text body is sent as its UTF-8 bytes. */
export function inboundRequest(headers: Record<string, string | string[] | undefined>, body: string | Buffer = ''): InboundRequest {
  return { headers, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8') };
}
