import { capJson, capLogs, type LogEntry } from '@webrequests/contracts';

const entry = (message: string, at = 1): LogEntry => ({ level: 'log', message, at });

describe('capJson', () => {
  it('keeps a value whose JSON fits and replaces a bigger one by a marker with its size and a preview', () => {
    expect(capJson({ a: 'x'.repeat(10) }, 100)).toEqual({ a: 'x'.repeat(10) });
    const big = { a: 'é'.repeat(100) };
    expect(capJson(big, 50)).toEqual({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(big)), preview: JSON.stringify(big).slice(0, 50) });
  });
});

describe('capLogs', () => {
  it('keeps logs that fit unchanged', () => {
    const logs = [entry('a'), entry('b')];
    expect(capLogs(logs, 1024)).toEqual(logs);
  });

  it('keeps the first entries that fit, in order, then a warn marker naming how many were dropped, within the limit', () => {
    const logs = Array.from({ length: 100 }, (_, i) => entry(`line ${i} ${'x'.repeat(30)}`, i));
    const capped = capLogs(logs, 2048);
    const marker = capped.at(-1)!;
    const kept = capped.slice(0, -1);
    expect(kept).toEqual(logs.slice(0, kept.length));
    expect(kept.length).toBeGreaterThan(10);
    expect(marker).toMatchObject({ level: 'warn', at: kept.length });
    expect(marker.message).toMatch(new RegExp(`^\\[truncated: .*2048.*; ${100 - kept.length} more entries were not kept\\]$`));
    expect(Buffer.byteLength(JSON.stringify(capped))).toBeLessThanOrEqual(2048);
  });

  it('cuts one huge entry short rather than drop everything, even with multi-byte characters', () => {
    const capped = capLogs([entry('"é'.repeat(10_000))], 1024);
    expect(capped).toHaveLength(2);
    expect(capped[0]!.message.endsWith('…')).toBe(true);
    expect(capped[0]!.message.startsWith('"é"é')).toBe(true);
    expect(capped[1]!.message).toMatch(/^\[truncated: .*the entry before this one was cut short, and 0 more entries were not kept\]$/);
    expect(Buffer.byteLength(JSON.stringify(capped))).toBeLessThanOrEqual(1024);
  });
});
