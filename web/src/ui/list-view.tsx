import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Pagination } from './pagination.js';
import { EmptyState, ErrorState, SkeletonRows } from './states.js';
import type { ApiState } from './use-api.js';

/** Where a paged list stands and how to move it to another page. */
export interface Paging {
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}

interface ListViewProps<L extends { items: readonly unknown[]; total?: number }> {
  state: ApiState<L>;
  /** Text shown when the list has no items. */
  empty: ReactNode;
  skeleton?: { rows?: number; columns?: number };
  /** With paging (and a `total` in the answer), previous/next controls follow the content. */
  paging?: Paging;
  /** The list itself, given the loaded answer (which has at least one item). */
  children: (list: L) => ReactNode;
}

/**
 * The states of a fetched list in one place: the error with a retry, skeleton rows on the first
 * load, the empty text, or the content followed by the pagination. While a later page loads, the
 * previous content stays (the table marks itself busy) instead of flashing the skeleton.
 */
export function ListView<L extends { items: readonly unknown[]; total?: number }>({
  state,
  empty,
  skeleton,
  paging,
  children,
}: ListViewProps<L>) {
  const { data, error, loading, reload } = state;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading && !data) return <SkeletonRows rows={skeleton?.rows} columns={skeleton?.columns} />;
  if (!data) return null;
  if (data.items.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <>
      {children(data)}
      {paging && data.total !== undefined && (
        <Pagination
          total={data.total}
          limit={paging.limit}
          offset={paging.offset}
          onChange={paging.onChange}
        />
      )}
    </>
  );
}

interface DataTableProps {
  /** The column headings, in order. */
  columns: readonly string[];
  /** Adds a last column for row buttons, headed "Actions" for screen readers only. */
  actionsColumn?: boolean;
  /** Marks the table busy while a newer page or filter loads over the shown rows. */
  busy?: boolean;
  className?: string;
  testId?: string;
  /** The `<tr>` rows. */
  children: ReactNode;
}

/** A scrollable data table with column headings (`scope="col"`) and the given rows. */
export function DataTable({
  columns,
  actionsColumn = false,
  busy,
  className = 'table',
  testId,
  children,
}: DataTableProps) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap" aria-busy={busy}>
      <table className={className} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((heading) => (
              <th scope="col" key={heading}>
                {heading}
              </th>
            ))}
            {actionsColumn && (
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
