import { get } from '../../api/client.js';
import type { Organization, Paged, SchemaDescription } from '../../api/types.js';

let schemataCache: Promise<SchemaDescription[]> | null = null;
let orgsCache: Promise<Organization[]> | null = null;

/** The FollowTheMoney schemata records may use; fetched once per page load. */
export function loadSchemata(): Promise<SchemaDescription[]> {
  schemataCache ??= get<{ items: SchemaDescription[] }>('/schemata').then(
    (r) => r.items,
    (err) => {
      schemataCache = null;
      throw err;
    },
  );
  return schemataCache;
}

/** The organizations of the directory (first 200, by name), for pickers and filters. */
export function loadOrganizations(): Promise<Organization[]> {
  orgsCache ??= get<Paged<Organization>>('/organizations', { limit: 200 }).then(
    (r) => [...r.items].sort((a, b) => a.name.localeCompare(b.name)),
    (err) => {
      orgsCache = null;
      throw err;
    },
  );
  return orgsCache;
}
