import { href } from '../router';

/** A list page's title, with the link that opens the form for a new one (`#/<section>/new`). */
export function ListHeading(props: { title: string; section: string; newLabel: string }) {
  return (
    <div class="heading">
      <h1>{props.title}</h1>
      <a class="button" href={href(props.section, 'new')}>
        {props.newLabel}
      </a>
    </div>
  );
}
