import { useEffect, useState } from 'preact/hooks';

/** The route: the hash's path split into segments (`#/processes/abc` → `['processes', 'abc']`). */
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

/** Goes to a console route (`go('processes', id)`). */
export function go(...segments: string[]): void {
  location.hash = href(...segments);
}

/** The href of a console route. */
export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}
