import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UnavailableError } from '@webrequests/contracts';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

const ACCEPTED_FORMS = `'sqlite:<path>', 'sqlite::memory:', 'mongodb://…' or 'mongodb+srv://…'`;

/**
 * Opens the store a `STORE_URL` names: `sqlite:<path>` (a relative path is taken from the current
 * folder, whose missing parent folders are created), `sqlite::memory:` (a private in-memory database),
 * or `mongodb://…` / `mongodb+srv://…`. Throws an `Error` naming the accepted forms for anything else,
 * and `UnavailableError` when the store cannot be opened.
 */
export async function openStore(url: string): Promise<Store> {
  const colon = url.indexOf(':');
  const scheme = colon > 0 ? url.slice(0, colon).toLowerCase() : '';
  const rest = url.slice(colon + 1);
  switch (scheme) {
    case 'sqlite':
      return openSqlite(rest);
    case 'mongodb':
    case 'mongodb+srv':
      // Loaded only here: mongoose and its driver hold ~30 MB that a SQLite deployment has no use for.
      return (require('./mongo-store') as typeof import('./mongo-store')).MongoStore.open(url);
    default:
      // Only the scheme is echoed: the rest of a URL may carry a password.
      throw new Error(`STORE_URL must be ${ACCEPTED_FORMS}; got ${scheme ? `'${scheme}:…'` : 'no scheme'}`);
  }
}

function openSqlite(location: string): Store {
  if (location === ':memory:') return new SqliteStore(':memory:');
  // 'sqlite://x' reads as a URL with a host; as a path it would silently mean '/x' or 'x'.
  if (location === '' || location.startsWith('//')) {
    throw new Error(`STORE_URL for SQLite is 'sqlite:<path>' (e.g. sqlite:./data/webrequests.db); got '${location}'`);
  }
  const filename = resolve(location);
  try {
    mkdirSync(dirname(filename), { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UnavailableError(`cannot create the folder of the SQLite store at ${filename} (${code}): make ${dirname(filename)} a writable folder, or set STORE_URL=sqlite:<a path you can write>`, { cause: err });
  }
  return new SqliteStore(filename);
}
