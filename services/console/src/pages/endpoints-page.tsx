import { queryString, type Page, type ProcessRecord, type Scenario, type WebRequest } from '../api';
import { DataTable } from '../parts/data-table';
import { ListHeading } from '../parts/list-heading';
import { Notice } from '../parts/field';
import { href } from '../router';
import { useApi } from '../use-api';

/** Every endpoint: its URL id, scenario, status, authentication and how its last call went. */
export function EndpointsPage() {
  const endpoints = useApi<Page<WebRequest>>('/webrequests?limit=500');
  const scenarios = useApi<Page<Scenario>>('/scenarios?limit=500');
  const scenarioName = (id: string) => scenarios.data?.items.find((s) => s.id === id)?.name ?? id;
  return (
    <section>
      <ListHeading title="Endpoints" section="endpoints" newLabel="New endpoint" />
      <Notice error={endpoints.error ?? scenarios.error} />
      <DataTable
        label="Endpoints"
        columns={['URL id', 'Name', 'Scenario', 'Status', 'Auth', 'Last process']}
        rows={endpoints.data?.items.map((w) => ({
          key: w.id,
          cells: [<a href={href('endpoints', w.id)}>{w.urlId}</a>, w.name, <a href={href('scenarios', w.scriptId)}>{scenarioName(w.scriptId)}</a>, w.status, w.auth?.type ?? 'none', <LastProcess webrequestId={w.id} />],
        }))}
      />
    </section>
  );
}

/** The status of an endpoint's newest process (test runs aside), linked to it; '' when it has none. */
function LastProcess(props: { webrequestId: string }) {
  const last = useApi<Page<ProcessRecord>>(`/processes${queryString({ webrequestId: props.webrequestId, limit: '1' })}`).data?.items[0];
  if (!last) return null;
  return (
    <a href={href('processes', last.id)} class={`status status-${last.status}`} aria-label={`Last process: ${last.status}`}>
      {last.status}
    </a>
  );
}
