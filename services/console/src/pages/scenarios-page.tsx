import type { Page, Scenario } from '../api';
import { DataTable } from '../parts/data-table';
import { ListHeading } from '../parts/list-heading';
import { Notice } from '../parts/field';
import { href } from '../router';
import { useApi } from '../use-api';

/** Every scenario, newest first, each linking to its editor. */
export function ScenariosPage() {
  const { data, error } = useApi<Page<Scenario>>('/scenarios?limit=500');
  return (
    <section>
      <ListHeading title="Scenarios" section="scenarios" newLabel="New scenario" />
      <Notice error={error} />
      <DataTable
        label="Scenarios"
        columns={['Name', 'Description', 'Updated']}
        rows={data?.items.map((s) => ({ key: s.id, cells: [<a href={href('scenarios', s.id)}>{s.name}</a>, s.description, new Date(s.updatedAt).toLocaleString()] }))}
      />
    </section>
  );
}
