/** Longest error message a run reports; a scenario may throw megabytes. */
const MAX_LENGTH = 2000;

function clip(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

function errorText(thrown: object): string | null {
  const { name, message } = thrown as { name?: unknown; message?: unknown };
  if (typeof message !== 'string') return null;
  const label = typeof name === 'string' && name ? name : 'Error';
  return message ? `${label}: ${message}` : label;
}

/**
 * What a scenario threw, as `<Name>: <message>` for an error, the text itself for a thrown string:
 * never a stack trace, which would show host paths. Reading the value may run scenario code (getters),
 * so that is guarded too.
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (typeof thrown === 'object' && thrown !== null) {
      const text = errorText(thrown);
      if (text !== null) return clip(text);
    }
    if (typeof thrown === 'string') return clip(thrown || 'the scenario threw an empty string');
    return clip(`the scenario threw ${String(thrown)}`);
  } catch {
    return 'the scenario threw a value that cannot be described';
  }
}
