import { useTranslation } from 'react-i18next';
import { formatNumber } from './format.js';

interface PaginationProps {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}

/** Previous/next paging with "1–50 of 312". */
export function Pagination({ total, limit, offset, onChange }: PaginationProps) {
  const { t } = useTranslation();
  if (total === 0) return null;
  const from = offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pagination" aria-label={t('common.pagination')}>
      <span aria-live="polite">
        {t('common.pageInfo', { from: formatNumber(from), to: formatNumber(to), total: formatNumber(total) })}
      </span>
      <div className="button-row">
        <button
          type="button"
          className="btn"
          disabled={offset === 0}
          onClick={() => onChange(Math.max(0, offset - limit))}
        >
          {t('common.previous')}
        </button>
        <button type="button" className="btn" disabled={to >= total} onClick={() => onChange(offset + limit)}>
          {t('common.next')}
        </button>
      </div>
    </nav>
  );
}
