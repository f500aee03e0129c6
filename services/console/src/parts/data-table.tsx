import type { ComponentChildren } from 'preact';

/** One row of a {@link DataTable}: its key and one cell per column. */
export interface Row {
  key: string;
  cells: ComponentChildren[];
}

/** A list shown as a table (on a phone, each row as a block). */
export function DataTable(props: { label: string; columns: string[]; rows: Row[] | undefined }) {
  return (
    <table aria-label={props.label}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows?.map((row) => (
          <tr key={row.key}>
            {row.cells.map((cell, i) => (
              <td key={i}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
