import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { get } from '../../api/client.js';
import type { ImportJob } from '../../api/types.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { PageHeader } from '../../ui/page-header.js';
import { EmptyState, ErrorState, SkeletonRows } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { ImportProgress, ImportStatusChip } from './import-progress.js';

/** The organization's import jobs, newest first, with their status and counts. */
export function ImportsListPage() {
  const { t } = useTranslation();
  const jobs = useApi('imports', (signal) =>
    get<{ items: ImportJob[] } | ImportJob[]>('/imports', undefined, signal).then((r) =>
      Array.isArray(r) ? r : r.items,
    ),
  );
  return (
    <div className="page">
      <PageHeader
        title={t('imports.title')}
        intro={t('imports.intro')}
        actions={
          <Link to="/imports/new" className="btn btn--primary">
            {t('imports.new')}
          </Link>
        }
      />
      {jobs.error ? (
        <ErrorState error={jobs.error} onRetry={jobs.reload} />
      ) : !jobs.data ? (
        <SkeletonRows columns={6} />
      ) : jobs.data.length === 0 ? (
        <EmptyState>{t('imports.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="imports-table">
            <thead>
              <tr>
                <th scope="col">{t('imports.started')}</th>
                <th scope="col">{t('imports.format')}</th>
                <th scope="col">{t('imports.statusHeader')}</th>
                <th scope="col">{t('imports.created')}</th>
                <th scope="col">{t('imports.updated')}</th>
                <th scope="col">{t('imports.rejected')}</th>
                <th scope="col">{t('imports.skipped')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Link to={`/imports/${job.id}`}>
                      {formatDateTime(job.startedAt ?? job.createdAt ?? job.finishedAt)}
                    </Link>
                    {job.fileName && <div className="muted small">{job.fileName}</div>}
                  </td>
                  <td>{t(`imports.formatName.${job.format}`)}</td>
                  <td>
                    <ImportStatusChip status={job.status} />
                  </td>
                  <td>{formatNumber(job.created)}</td>
                  <td>{formatNumber(job.updated)}</td>
                  <td>{formatNumber(job.rejected)}</td>
                  <td>{formatNumber(job.skipped)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** One import job: its live progress and, when finished, its summary. */
export function ImportDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  return (
    <div className="page">
      <Breadcrumbs trail={[{ to: '/imports', label: t('imports.title') }]} />
      <PageHeader title={t('imports.jobTitle')} />
      <section className="card">
        <ImportProgress importId={id} />
      </section>
    </div>
  );
}
