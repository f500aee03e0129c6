/**
 * Tokens as long as `token` (in characters) that are not it: one character changed at the end, at the
 * start and in the middle, the token reversed, its case changed, all one character, and one whose last
 * character is a two-byte one (same length in characters, not in bytes).
 */
export function sameLengthWrongTokens(token: string): string[] {
  const other = (c: string): string => (c === '0' ? '1' : '0');
  const at = (i: number): string => `${token.slice(0, i)}${other(token[i]!)}${token.slice(i + 1)}`;
  const middle = Math.floor(token.length / 2);
  const candidates = [
    at(token.length - 1),
    at(0),
    at(middle),
    [...token].reverse().join(''),
    token.toUpperCase(),
    'x'.repeat(token.length),
    `${token.slice(0, -1)}\u00e9`,
  ];
  return [...new Set(candidates)].filter((t) => t !== token && t.length === token.length);
}
