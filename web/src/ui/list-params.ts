import { useSearchParams } from 'react-router-dom';

/**
 * Filters and paging kept in the address (`?q=…&offset=50`), so a list can be shared, reloaded
 * and navigated back to. Changing a filter starts again at the first page.
 */
export function useListParams<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const set = (key: K, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('offset');
    setParams(next, { replace: true });
  };
  const setOffset = (value: number) => {
    const next = new URLSearchParams(params);
    if (value > 0) next.set('offset', String(value));
    else next.delete('offset');
    setParams(next);
  };
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  const active = keys.some((k) => values[k] !== '');
  return { values, offset, set, setOffset, clear, active, key: params.toString() };
}
