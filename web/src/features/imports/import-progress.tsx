import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../api/client.js';
import type { ImportJob, ImportStatus } from '../../api/types.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { CountList, ProgressBar } from '../../ui/progress.js';
import { ErrorState, Spinner } from '../../ui/states.js';

const TONES: Record<ImportStatus, string> = { queued: 'neutral', running: 'info', done: 'ok', failed: 'bad' };

/** An import job's status as a coloured chip. */
export function ImportStatusChip({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return <span className={`chip chip--${TONES[status] ?? 'neutral'}`}>{t(`imports.status.${status}`)}</span>;
}

/** Whether the job has stopped (no more polling). */
export function isFinished(status: ImportStatus): boolean {
  return status === 'done' || status === 'failed';
}

/**
 * Follows an import job: polls `GET /imports/{id}` every second until it is done or failed, and
 * shows the bytes read as a progress bar, the counts, and at the end the summary with the first
 * errors and the error report.
 */
export function ImportProgress({ importId }: { importId: string }) {
  const { t } = useTranslation();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` restarts polling after a retry.
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const next = await get<ImportJob>(
          `/imports/${encodeURIComponent(importId)}`,
          undefined,
          controller.signal,
        );
        if (stopped) return;
        setJob(next);
        setError(null);
        if (!isFinished(next.status)) timer = window.setTimeout(poll, 1000);
      } catch (err) {
        if (stopped) return;
        setError(err instanceof ApiError ? err : new ApiError(0, {}));
      }
    };
    void poll();
    return () => {
      stopped = true;
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [importId, tick]);

  if (error && !job) return <ErrorState error={error} onRetry={() => setTick((n) => n + 1)} />;
  if (!job) return <Spinner block />;
  const finished = isFinished(job.status);
  const total = Math.max(job.bytesTotal, 0);
  const percent =
    finished && job.status === 'done'
      ? 100
      : total
        ? Math.min(100, Math.round((job.bytesRead / total) * 100))
        : 0;
  const skipped = Object.entries(job.skippedByType ?? {});

  return (
    <div className="stack import-progress" data-testid="import-progress" data-status={job.status}>
      <div className="import-progress__head">
        <ImportStatusChip status={job.status} />
        <span className="muted small">
          {t('imports.bytes', { read: formatNumber(job.bytesRead), total: formatNumber(job.bytesTotal) })}
        </span>
      </div>
      <ProgressBar percent={percent} label={t('imports.progressLabel')} />
      <CountList
        items={[
          { key: 'processed', label: t('imports.processed'), value: job.processed },
          { key: 'created', label: t('imports.created'), value: job.created },
          { key: 'updated', label: t('imports.updated'), value: job.updated },
          { key: 'rejected', label: t('imports.rejected'), value: job.rejected, bad: job.rejected > 0 },
          { key: 'skipped', label: t('imports.skipped'), value: job.skipped },
        ]}
      />
      {skipped.length > 0 && (
        <p className="small muted">
          {t('imports.skippedByType')}:{' '}
          {skipped.map(([type, n]) => `${type} (${formatNumber(n)})`).join(', ')}
        </p>
      )}
      {error && <p className="form-error small">{t('imports.pollError')}</p>}
      {finished && (
        <section
          className="import-summary"
          aria-labelledby="import-summary-title"
          data-testid="import-summary"
        >
          <h2 id="import-summary-title">{t('imports.summaryTitle')}</h2>
          <p role="status">
            {job.status === 'done'
              ? t('imports.summaryDone', {
                  created: job.created,
                  updated: job.updated,
                  rejected: job.rejected,
                })
              : t('imports.summaryFailed')}
            {job.finishedAt && <span className="muted"> · {formatDateTime(job.finishedAt)}</span>}
          </p>
          {job.errors.length > 0 && (
            <>
              <table className="table table--plain table--dense" data-testid="import-errors">
                <caption className="visually-hidden">{t('imports.errorsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('imports.lineOrIndex')}</th>
                    <th scope="col">{t('imports.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {job.errors.slice(0, 20).map((e) => (
                    <tr key={`${e.index}-${e.reason}`}>
                      <td className="nowrap">{t('imports.line', { n: e.index })}</td>
                      <td dir="auto">{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <a className="btn" href={`/api/v1/imports/${encodeURIComponent(job.id)}/errors.csv`} download>
                {t('imports.downloadErrors')}
              </a>
            </>
          )}
        </section>
      )}
    </div>
  );
}
