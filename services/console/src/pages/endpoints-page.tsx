import type { Page, Scenario, WebRequest } from '../api';
import { DataTable } from '../parts/data-table';
import { ListHeading } from '../parts/list-heading';
import { Notice } from '../parts/field';
import { href } from '../router';
import { useApi } from '../use-api';

/** Every endpoint: its URL id, scenario, status and authentication. */
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
        columns={['URL id', 'Name', 'Scenario', 'Status', 'Auth']}
        rows={endpoints.data?.items.map((w) => ({
          key: w.id,
          cells: [<a href={href('endpoints', w.id)}>{w.urlId}</a>, w.name, <a href={href('scenarios', w.scriptId)}>{scenarioName(w.scriptId)}</a>, w.status, w.auth?.type ?? 'none'],
        }))}
      />
    </section>
  );
}
