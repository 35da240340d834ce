import { get, type Query } from '../api/client.js';
import type { Paged } from '../api/types.js';
import { useListParams } from './list-params.js';
import type { Paging } from './list-view.js';
import { type ApiState, useApi } from './use-api.js';

/**
 * A paged API list driven by filters kept in the address: fetches `path` with the filter values
 * (adjusted by `toQuery` where the API wants another form), `limit` and the page's offset, again
 * whenever the address changes. Returns the filters, the fetch state and the paging for `ListView`.
 */
export function useListPage<T, K extends string>(
  path: string,
  keys: readonly K[],
  limit: number,
  toQuery?: (values: Record<K, string>) => Query,
): { list: ReturnType<typeof useListParams<K>>; state: ApiState<Paged<T>>; paging: Paging } {
  const list = useListParams(keys);
  const query: Query = { ...list.values, ...toQuery?.(list.values), limit, offset: list.offset };
  const state = useApi(list.key, (signal) => get<Paged<T>>(path, query, signal));
  return { list, state, paging: { limit, offset: list.offset, onChange: list.setOffset } };
}
