import { useState } from 'preact/hooks';
import { queryString, type Page, type ProcessRecord, type WebRequest } from '../api';
import { DataTable } from '../parts/data-table';
import { DateTimeInput, Field, Notice, Select } from '../parts/field';
import { href } from '../router';
import { useApi } from '../use-api';

/** How often the list asks for new and finishing processes (milliseconds). */
const POLL_MS = 2000;
const STATUSES = ['', 'queued', 'running', 'completed', 'failed', 'aborted'];

/** The processes, newest first, with filters; live: polled every two seconds. */
export function ProcessesPage() {
  const [status, setStatus] = useState('');
  const [webrequestId, setWebrequestId] = useState('');
  const [async, setAsync] = useState('');
  const [test, setTest] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const endpoints = useApi<Page<WebRequest>>('/webrequests?limit=500');
  const processes = useApi<Page<ProcessRecord>>(`/processes${queryString({ limit: '100', status, webrequestId, async, test, from: isoTime(from), to: isoTime(to) })}`, POLL_MS);
  const urlId = (id: string) => endpoints.data?.items.find((w) => w.id === id)?.urlId ?? id;
  return (
    <section>
      <h1>Processes</h1>
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          <Select value={status} options={STATUSES.map((s) => ({ value: s, label: s || 'any' }))} onChange={setStatus} />
        </Field>
        <Field label="Endpoint">
          <Select value={webrequestId} options={[{ value: '', label: 'any' }, ...(endpoints.data?.items ?? []).map((w) => ({ value: w.id, label: w.urlId }))]} onChange={setWebrequestId} />
        </Field>
        <Field label="Async">
          <Select value={async} options={[{ value: '', label: 'any' }, { value: 'true', label: 'async' }, { value: 'false', label: 'sync' }]} onChange={setAsync} />
        </Field>
        <Field label="From">
          <DateTimeInput value={from} onInput={setFrom} />
        </Field>
        <Field label="To">
          <DateTimeInput value={to} onInput={setTo} />
        </Field>
        <Field label="Kind">
          <Select value={test} options={[{ value: '', label: 'calls' }, { value: 'true', label: 'test runs' }]} onChange={setTest} />
        </Field>
      </form>
      <Notice error={processes.error} />
      <DataTable
        label="Processes"
        columns={['Process', 'Endpoint', 'Status', 'Mode', 'Created', 'Duration']}
        rows={processes.data?.items.map((p) => ({
          key: p.id,
          cells: [
            <a href={href('processes', p.id)}>{p.id}</a>,
            urlId(p.webrequestId),
            <span class={`status status-${p.status}`}>{p.status}</span>,
            p.async ? 'async' : 'sync',
            new Date(p.createdAt).toLocaleTimeString(),
            p.durationMs === null ? '' : `${p.durationMs} ms`,
          ],
        }))}
      />
      {processes.data?.items.length === 0 && <p class="hint">No processes yet.</p>}
    </section>
  );
}

/** A `datetime-local` value (local time) as the ISO instant the API filters on; undefined when empty or incomplete. */
function isoTime(local: string): string | undefined {
  const time = local ? new Date(local) : null;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : undefined;
}
