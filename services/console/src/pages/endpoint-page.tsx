import type { Page, Scenario, WebRequest } from '../api';
import { Notice } from '../parts/field';
import { go, href } from '../router';
import { useApi } from '../use-api';
import { EndpointForm } from './endpoint-form';
import { TestPanel } from './test-panel';

/** One endpoint (`id` 'new' for a new one): its form, its public URL and a curl line, and the test panel. */
export function EndpointPage(props: { id: string }) {
  const isNew = props.id === 'new';
  const endpoint = useApi<WebRequest>(isNew ? null : `/webrequests/${encodeURIComponent(props.id)}`);
  const scenarios = useApi<Page<Scenario>>('/scenarios?limit=500');
  const error = endpoint.error ?? scenarios.error;
  if (error) return <Notice error={error} />;
  if (!scenarios.data || (!isNew && !endpoint.data)) return <Notice text="Loading…" />;
  if (scenarios.data.items.length === 0) {
    return (
      <p>
        An endpoint runs a scenario: <a href={href('scenarios', 'new')}>write one first</a>.
      </p>
    );
  }
  const onSaved = (saved: WebRequest) => (isNew ? go('endpoints', saved.id) : void endpoint.reload());
  return (
    <section>
      <h1>{isNew ? 'New endpoint' : `Endpoint ${endpoint.data!.urlId}`}</h1>
      <EndpointForm key={endpoint.data?.updatedAt ?? 'new'} endpoint={endpoint.data} scenarios={scenarios.data.items} onSaved={onSaved} />
      {endpoint.data && <PublicUrl endpoint={endpoint.data} />}
      {endpoint.data && <TestPanel endpointId={endpoint.data.id} />}
    </section>
  );
}

function PublicUrl(props: { endpoint: WebRequest }) {
  const url = `${location.origin}/api/webrequest/${props.endpoint.urlId}`;
  const auth = props.endpoint.auth;
  const authHeader = auth?.type === 'bearer' ? ` -H 'Authorization: Bearer <${auth.secret}>'` : auth?.type === 'header' ? ` -H '${auth.header}: <${auth.secret}>'` : '';
  return (
    <section>
      <h2>Public URL</h2>
      <p>
        <a href={url}>{url}</a>
      </p>
      <pre class="json" aria-label="curl">{`curl -X POST '${url}'${authHeader} -H 'content-type: application/json' -d '{"hello":"world"}'`}</pre>
    </section>
  );
}
