import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, get, post } from '../../api/client.js';
import type { ImportJob, MatchPage, XrefJob, XrefResult, XrefStatus } from '../../api/types.js';
import { useMe } from '../../auth/session.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { FilterBar } from '../../ui/filters.js';
import { Checkbox, Field, FormErrorSummary } from '../../ui/form.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { PageHeader } from '../../ui/page-header.js';
import { CountList, ProgressBar } from '../../ui/progress.js';
import { EmptyState, ErrorState, SkeletonRows, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { loadSchemata } from '../records/records-data.js';
import { formatDuration, matchAbilities, useMatchList, useNow } from './matching-data.js';
import { CapNote, ChoiceFilter, FeatureChips, RecordRefLink, ScoreBar } from './matching-ui.js';

const TONES: Record<XrefStatus, string> = { queued: 'neutral', running: 'info', done: 'ok', failed: 'bad' };
const RESULTS_PAGE = 25;

function finished(status: XrefStatus): boolean {
  return status === 'done' || status === 'failed';
}

function percentOf(job: XrefJob): number {
  if (job.status === 'done') return 100;
  return job.total > 0 ? Math.min(100, Math.floor((job.processed / job.total) * 100)) : 0;
}

/** A cross-referencing job's status as a coloured chip. */
function XrefStatusChip({ status }: { status: XrefStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`chip chip--${TONES[status] ?? 'neutral'}`} data-status={status}>
      {t(`matching.xref.status.${status}`)}
    </span>
  );
}

/** The organization's cross-referencing jobs and the form that starts one. The list refreshes while a job runs. */
export function XrefListPage() {
  const { t } = useTranslation();
  const me = useMe();
  const jobs = useApi('xref-jobs', (signal) => get<{ items: XrefJob[] }>('/match/xref', undefined, signal));
  const running = jobs.data?.items.some((j) => !finished(j.status)) ?? false;
  const { reload } = jobs;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(reload, 2000);
    return () => window.clearInterval(timer);
  }, [running, reload]);

  return (
    <div className="page">
      <PageHeader title={t('matching.xref.title')} intro={t('matching.xref.intro')} />
      {matchAbilities(me).act && <StartXref />}
      <section className="stack" aria-labelledby="xref-jobs-title">
        <h2 id="xref-jobs-title">{t('matching.xref.jobsTitle')}</h2>
        {jobs.error ? (
          <ErrorState error={jobs.error} onRetry={jobs.reload} />
        ) : !jobs.data ? (
          <SkeletonRows columns={6} />
        ) : jobs.data.items.length === 0 ? (
          <EmptyState>{t('matching.xref.empty')}</EmptyState>
        ) : (
          <DataTable
            testId="xref-jobs"
            columns={[
              t('matching.xref.started'),
              t('matching.xref.scope'),
              t('matching.xref.statusHeader'),
              t('matching.xref.progress'),
              t('matching.xref.results'),
            ]}
          >
            {jobs.data.items.map((job) => (
              <tr key={job.id} data-job-id={job.id}>
                <td className="nowrap">
                  <Link to={`/matching/xref/${job.id}`}>
                    {formatDateTime(job.startedAt ?? job.createdAt)}
                  </Link>
                </td>
                <td className="small">
                  {job.importJobId ? t('matching.xref.scopeImport') : t('matching.xref.scopeAll')}
                  {job.includeOwn && <div className="muted">{t('matching.xref.withOwn')}</div>}
                </td>
                <td>
                  <XrefStatusChip status={job.status} />
                </td>
                <td className="match-progress-cell">
                  <progress
                    className="progress__bar"
                    max={100}
                    value={percentOf(job)}
                    aria-label={t('matching.xref.progressOf', { when: formatDateTime(job.createdAt) })}
                  />
                  <span className="small muted">
                    {formatNumber(job.processed)} / {formatNumber(job.total)}
                  </span>
                </td>
                <td>
                  {formatNumber(job.results)}
                  <CapNote count={job.cappedKeys} compact />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}

/** Starts a job over the whole organization or one import, optionally with duplicates inside it. */
function StartXref() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toast = useToast();
  const imports = useApi('imports-for-xref', (signal) =>
    get<{ items: ImportJob[] } | ImportJob[]>('/imports', undefined, signal).then((r) =>
      (Array.isArray(r) ? r : r.items).filter((j) => j.status === 'done'),
    ),
  );
  const [scope, setScope] = useState<'all' | 'import'>('all');
  const [importJobId, setImportJobId] = useState('');
  const [includeOwn, setIncludeOwn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const job = await post<XrefJob>('/match/xref', {
        ...(scope === 'import' && importJobId ? { importJobId } : {}),
        includeOwn,
      });
      toast(t('matching.xref.startedToast'));
      navigate(`/matching/xref/${job.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, {}));
      setBusy(false);
    }
  }

  const importOptions = imports.data ?? [];
  return (
    <form
      className="card stack match-card"
      onSubmit={submit}
      aria-labelledby="xref-start-title"
      data-testid="xref-start"
    >
      <h2 id="xref-start-title">{t('matching.xref.startTitle')}</h2>
      <FormErrorSummary error={error} />
      <fieldset className="field">
        <legend>{t('matching.xref.scope')}</legend>
        <label className="checkbox">
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
          <span>{t('matching.xref.scopeAllLong')}</span>
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="scope"
            checked={scope === 'import'}
            disabled={importOptions.length === 0}
            onChange={() => setScope('import')}
          />
          <span>
            {t('matching.xref.scopeImportLong')}
            {imports.data && importOptions.length === 0 && (
              <span className="muted small"> ({t('matching.xref.noImports')})</span>
            )}
          </span>
        </label>
      </fieldset>
      {scope === 'import' && (
        <Field label={t('matching.xref.import')} required>
          {({ id }) => (
            <select id={id} required value={importJobId} onChange={(e) => setImportJobId(e.target.value)}>
              <option value="">{t('matching.xref.chooseImport')}</option>
              {importOptions.map((j) => (
                <option key={j.id} value={j.id}>
                  {formatDateTime(j.finishedAt ?? j.startedAt ?? j.createdAt)}
                  {j.fileName ? ` · ${j.fileName}` : ''} ·{' '}
                  {t('matching.xref.importRecords', { n: formatNumber(j.created + j.updated) })}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Checkbox label={t('matching.xref.includeOwn')} checked={includeOwn} onChange={setIncludeOwn} />
      <div className="button-row button-row--end">
        <button
          type="submit"
          className="btn btn--primary"
          disabled={busy || (scope === 'import' && !importJobId)}
        >
          {busy ? t('common.saving') : t('matching.xref.start')}
        </button>
      </div>
    </form>
  );
}

/**
 * One job: live progress while it runs (polled every second), then its results by score, highest
 * first, with a minimum-score filter and paging.
 */
export function XrefDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const now = useNow(1000);
  const [job, setJob] = useState<XrefJob | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` restarts polling after a retry.
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const next = await get<XrefJob>(
          `/match/xref/${encodeURIComponent(id)}`,
          undefined,
          controller.signal,
        );
        if (stopped) return;
        setJob(next);
        setError(null);
        if (!finished(next.status)) timer = window.setTimeout(poll, 1000);
      } catch (err) {
        if (stopped) return;
        setError(err instanceof ApiError ? err : new ApiError(0, {}));
        // A passing failure should not stop a running job's progress.
        timer = window.setTimeout(poll, 3000);
      }
    };
    void poll();
    return () => {
      stopped = true;
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [id, tick]);

  if (error && !job && (error.status === 404 || error.status === 400))
    return (
      <NotFoundPanel
        title={t('matching.xref.notFound')}
        text={t('matching.xref.notFoundText')}
        back="/matching/xref"
      />
    );
  if (error && !job) return <ErrorState error={error} onRetry={() => setTick((n) => n + 1)} />;
  if (!job) return <Spinner block />;

  const percent = percentOf(job);
  const started = job.startedAt ? new Date(job.startedAt).getTime() : null;
  const end = job.finishedAt ? new Date(job.finishedAt).getTime() : now;
  const elapsed = started !== null ? Math.max(0, end - started) : null;
  const rate = elapsed && elapsed > 0 ? (job.processed / elapsed) * 1000 : null;

  return (
    <div className="page">
      <Breadcrumbs trail={[{ to: '/matching/xref', label: t('matching.xref.title') }]} />
      <PageHeader
        title={t('matching.xref.jobTitle')}
        intro={
          (job.importJobId ? t('matching.xref.scopeImportLong') : t('matching.xref.scopeAllLong')) +
          (job.includeOwn ? ` · ${t('matching.xref.withOwn')}` : '')
        }
      />
      <section
        className="card stack match-card"
        data-testid="xref-progress"
        data-status={job.status}
        aria-labelledby="xref-progress-title"
      >
        <div className="import-progress__head">
          <h2 id="xref-progress-title" className="visually-hidden">
            {t('matching.xref.progress')}
          </h2>
          <XrefStatusChip status={job.status} />
          <span className="muted small">
            {t('matching.xref.processedOf', {
              processed: formatNumber(job.processed),
              total: formatNumber(job.total),
            })}
          </span>
        </div>
        <ProgressBar percent={percent} label={t('matching.xref.progress')} />
        <CountList
          items={[
            { key: 'total', label: t('matching.xref.records'), value: job.total },
            { key: 'processed', label: t('matching.xref.processed'), value: job.processed },
            { key: 'results', label: t('matching.xref.results'), value: job.results },
            { key: 'capped', label: t('matching.xref.capped'), value: job.cappedKeys },
          ]}
        />
        <p className="muted small">
          {elapsed !== null && t('matching.xref.elapsed', { time: formatDuration(elapsed) })}
          {rate !== null &&
            job.processed > 0 &&
            ` · ${t('matching.xref.rate', { n: formatNumber(Math.round(rate)) })}`}
          {job.finishedAt && ` · ${t('matching.xref.finishedAt', { at: formatDateTime(job.finishedAt) })}`}
        </p>
        <CapNote count={job.cappedKeys} />
        {job.status === 'failed' && (
          <p className="notice notice--bad" role="alert">
            {t('matching.xref.failed')} {job.failure && <span dir="auto">({job.failure})</span>}
          </p>
        )}
        {error && <p className="form-error small">{t('imports.pollError')}</p>}
      </section>
      <XrefResults job={job} />
    </div>
  );
}

/** The results of a job, by score descending; reloads as the job finds more. */
function XrefResults({ job }: { job: XrefJob }) {
  const { t } = useTranslation();
  const { list, state, paging } = useMatchList<MatchPage<XrefResult>, 'minScore'>(
    `/match/xref/${encodeURIComponent(job.id)}/results`,
    ['minScore'],
    RESULTS_PAGE,
  );
  const schemata = useApi('schemata', () => loadSchemata());
  const schemaLabel = (name: string) => schemata.data?.find((s) => s.name === name)?.label ?? name;
  const { reload } = state;
  const seen = useRef(`${job.results}-${job.status}`);
  // Load again when the job reports more results or ends (the first load is useMatchList's).
  useEffect(() => {
    const now = `${job.results}-${job.status}`;
    if (seen.current === now) return;
    seen.current = now;
    reload();
  }, [job.results, job.status, reload]);

  return (
    <section className="stack" aria-labelledby="xref-results-title">
      <h2 id="xref-results-title">{t('matching.xref.resultsTitle')}</h2>
      <div className="match-narrow">
        <FilterBar active={list.active} onClear={list.clear}>
          <ChoiceFilter
            label={t('matching.xref.minScore')}
            value={list.values.minScore}
            options={[
              { value: '', label: t('common.all') },
              { value: '0.5', label: '≥ 50%' },
              { value: '0.75', label: '≥ 75%' },
              { value: '0.9', label: '≥ 90%' },
            ]}
            onChange={(v) => list.set('minScore', v)}
          />
        </FilterBar>
      </div>
      <ListView
        state={state}
        empty={finished(job.status) ? t('matching.xref.noResults') : t('matching.xref.noResultsYet')}
        skeleton={{ columns: 5 }}
        paging={paging}
      >
        {(data) => (
          <>
            <p className="muted result-count">{t('common.results', { total: data.total })}</p>
            <DataTable
              busy={state.loading}
              testId="xref-results"
              columns={[
                t('matching.score'),
                t('matching.hits.yourRecord'),
                t('matching.xref.matchesIn'),
                t('matching.features'),
                t('matching.xref.hit'),
              ]}
            >
              {data.items.map((r, i) => (
                <tr
                  key={`${r.record.id}-${r.otherOrganization.id}-${r.otherRecord?.id ?? i}`}
                  data-score={r.score}
                >
                  <td>
                    <ScoreBar score={r.score} />
                  </td>
                  <td>
                    <RecordRefLink record={r.record} schemaLabel={schemaLabel(r.record.schema)} />
                  </td>
                  <td className="small">
                    {r.otherRecord ? (
                      <>
                        <span className="chip chip--warn">{t('matching.xref.duplicate')}</span>{' '}
                        <RecordRefLink record={r.otherRecord} />
                      </>
                    ) : (
                      <span dir="auto">{r.otherOrganization.name}</span>
                    )}
                  </td>
                  <td>
                    <FeatureChips features={r.features} />
                  </td>
                  <td className="nowrap">
                    {r.hit ? (
                      <Link to={`/matching/hits/${r.hit.id}`} className="match-ref__code" dir="ltr">
                        {r.hit.reference}
                      </Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </ListView>
    </section>
  );
}
