import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client.js';
import { IconAlert } from './icons.js';

/** A spinner with a text for screen readers; `block` centres it in a padded area. */
export function Spinner({ label, block = false }: { label?: string; block?: boolean }) {
  const { t } = useTranslation();
  const spinner = (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{label ?? t('common.loading')}</span>
    </span>
  );
  return block ? <div className="state state--loading">{spinner}</div> : spinner;
}

/** Grey placeholder rows while a table loads. */
export function SkeletonRows({ rows = 6, columns = 5 }: { rows?: number; columns?: number }) {
  const { t } = useTranslation();
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{t('common.loading')}</span>
      {Array.from({ length: rows }, (_, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
        <div className="skeleton__row" key={r} aria-hidden="true">
          {Array.from({ length: columns }, (_, c) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
            <span className="skeleton__cell" key={c} style={{ flexGrow: c === 0 ? 3 : 1 }} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** An empty list, with a sentence that says what to do next. */
export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <div className="state state--empty">
      <p>{children}</p>
    </div>
  );
}

/** A failed request: the problem's title and detail, and a retry button when one is given. */
export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useTranslation();
  const text = error.status === 0 ? t('common.networkError') : error.detail || '';
  return (
    <div className="state state--error" role="alert">
      <IconAlert />
      <div>
        <p className="state__title">{error.status === 0 ? t('common.unknownError') : error.title}</p>
        {text && <p>{text}</p>}
        {onRetry && (
          <button type="button" className="btn" onClick={onRetry}>
            {t('common.retry')}
          </button>
        )}
      </div>
    </div>
  );
}
