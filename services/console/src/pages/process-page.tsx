import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, errorLine, errorText, type ProcessRecord } from '../api';
import { Json, Notice } from '../parts/field';
import { go, href } from '../router';
import { useApi } from '../use-api';
import { LogList } from './log-list';

/** How often a queued or running process is read again (milliseconds). */
const POLL_MS = 1000;

/** One process: what it received and answered, its error, logs and timings; Replay and Stop. */
export function ProcessPage(props: { id: string }) {
  // While a stop is asked for the page stops reading the record: it is about to be deleted.
  const [stop, setStop] = useState<'none' | 'asked' | 'done'>('none');
  const [live, setLive] = useState(true);
  const loaded = useApi<ProcessRecord>(stop === 'none' ? `/processes/${encodeURIComponent(props.id)}` : null, live ? POLL_MS : undefined);
  const record = loaded.data;
  useEffect(() => {
    if (record && !isActive(record)) setLive(false);
  }, [record]);
  if (stop === 'done') return <Notice text={`Process ${props.id} was stopped and its record deleted.`} />;
  if (!record) return <Notice error={loaded.error} text="Loading…" />;
  return (
    <section>
      <h1>Process {record.id}</h1>
      <Notice error={loaded.error} />
      <Actions record={record} onStop={setStop} />
      <Summary record={record} />
      {record.error && <ProcessError error={record.error} />}
      <h2>Input</h2>
      <Json value={record.input} label="Input" />
      <h2>Output</h2>
      <Json value={record.output} label="Output" />
      <h2>Logs</h2>
      <LogList logs={record.logs} />
    </section>
  );
}

const isActive = (record: ProcessRecord) => record.status === 'queued' || record.status === 'running';

function Summary(props: { record: ProcessRecord }) {
  const r = props.record;
  const rows: Array<[string, ComponentChildren]> = [
    ['Status', <span class={`status status-${r.status}`}>{r.status}</span>],
    ['Endpoint', <a href={href('endpoints', r.webrequestId)}>{r.webrequestId}</a>],
    ['Scenario', <a href={href('scenarios', r.scriptId)}>{r.scriptId}</a>],
    ['Mode', `${r.async ? 'async' : 'sync'}${r.test ? ', test run' : ''}`],
    ['Created', r.createdAt],
    ['Started', r.startedAt ?? '—'],
    ['Finished', r.finishedAt ?? '—'],
    ['Duration', r.durationMs === null ? '—' : `${r.durationMs} ms`],
    ['Attempts', String(r.attempts)],
    ['Worker', r.worker ?? '—'],
    ['Request id', r.requestId],
  ];
  if (r.replayOf) rows.push(['replayOf', <a href={href('processes', r.replayOf)}>{r.replayOf}</a>]);
  return (
    <dl class="summary">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ProcessError(props: { error: NonNullable<ProcessRecord['error']> }) {
  const line = errorLine(props.error.message);
  return (
    <div class="error-box" role="alert">
      <strong>{props.error.code}</strong>
      {line !== null && <span> at line {line}</span>}: {props.error.message}
    </div>
  );
}

function Actions(props: { record: ProcessRecord; onStop: (state: 'none' | 'asked' | 'done') => void }) {
  const { record } = props;
  const [error, setError] = useState<string | null>(null);
  const replay = async () => {
    try {
      const copy = await api<ProcessRecord>('POST', `/processes/${encodeURIComponent(record.id)}/replay`);
      go('processes', copy.id);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const stop = async () => {
    props.onStop('asked');
    try {
      await api('DELETE', `/processes/${encodeURIComponent(record.id)}`);
      props.onStop('done');
    } catch (failure) {
      props.onStop('none');
      setError(errorText(failure));
    }
  };
  return (
    <div class="actions">
      <button type="button" onClick={replay}>
        Replay
      </button>
      {isActive(record) && (
        <>
          <button type="button" class="danger" onClick={stop}>
            Stop
          </button>
          <span class="hint">Stop stops the run, then deletes its record (DELETE /processes/{'{id}'}).</span>
        </>
      )}
      <a href={`/admin/queues/queue/webrequests/${encodeURIComponent(record.id)}`} target="_blank" rel="noopener">
        Job on the Bull dashboard
      </a>
      <Notice error={error} />
    </div>
  );
}
