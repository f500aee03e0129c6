import type { ProcessRecord } from '../api';

/** What a scenario wrote with console.*, each line with its level and time. */
export function LogList(props: { logs: ProcessRecord['logs'] }) {
  if (props.logs.length === 0) return <p class="hint">No logs.</p>;
  return (
    <ol class="logs" aria-label="Logs">
      {props.logs.map((entry, i) => (
        <li key={i} class={`log-${entry.level}`}>
          <time>{new Date(entry.at).toISOString().slice(11, 23)}</time> <b>{entry.level}</b> {entry.message}
        </li>
      ))}
    </ol>
  );
}
