/**
 * A public URL identifier (SPEC §3): one or more `/`-separated segments of `A-Z a-z 0-9 - _`, 1 to 200
 * characters in all (the length is checked separately).
 */
export const URL_ID_PATTERN = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** An origin an endpoint allows for CORS: scheme, host and optional port, no path (`https://example.com`). */
export const ORIGIN_PATTERN = /^https?:\/\/[^/\s]+$/;
