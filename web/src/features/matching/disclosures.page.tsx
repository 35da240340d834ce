import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { DisclosureList } from '../../api/types.js';
import { FilterBar } from '../../ui/filters.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { vocabLabel } from '../../ui/vocab.js';
import { formatRelative, MATCH_CHANGED_EVENT, useMatchList, useNow } from './matching-data.js';
import {
  ChoiceFilter,
  Deadline,
  DisclosureStatusChip,
  FeatureChips,
  RecordRefLink,
  ScoreBar,
  useRowLink,
} from './matching-ui.js';

const PAGE_SIZE = 25;
const BOXES = ['incoming', 'outgoing'] as const;
type Box = (typeof BOXES)[number];
const STATUSES = ['pending', 'overdue', 'disclosed', 'declined', 'revoked', 'withdrawn'] as const;

type DisclosureFilter = 'box' | 'status';

/**
 * The disclosure queue: requests to the caller's organization (incoming, to decide before the
 * deadline) and its own requests (outgoing), with deadlines relative to now and overdue in red.
 */
export function DisclosuresPage() {
  const { t } = useTranslation();
  const now = useNow();
  const rowLink = useRowLink();
  const [params, setParams] = useSearchParams();
  const box: Box = params.get('box') === 'outgoing' ? 'outgoing' : 'incoming';
  const { list, state, paging } = useMatchList<DisclosureList, DisclosureFilter>(
    '/match/disclosures',
    ['box', 'status'],
    PAGE_SIZE,
    () => ({ box }),
  );
  const { reload } = state;
  useEffect(() => {
    window.addEventListener(MATCH_CHANGED_EVENT, reload);
    return () => window.removeEventListener(MATCH_CHANGED_EVENT, reload);
  }, [reload]);

  const setBox = (next: Box) => {
    const p = new URLSearchParams(params);
    if (next === 'incoming') p.delete('box');
    else p.set('box', next);
    p.delete('offset');
    setParams(p, { replace: true });
  };
  const pending = state.data?.pendingIncoming ?? 0;
  const overdue = state.data?.overdueIncoming ?? 0;

  return (
    <div className="page">
      <PageHeader title={t('matching.disclosures.title')} intro={t('matching.disclosures.intro')} />
      <nav className="match-boxes" aria-label={t('matching.disclosures.boxes')}>
        {BOXES.map((b) => (
          <Link
            key={b}
            to={b === 'incoming' ? '?' : `?box=${b}`}
            className={`match-box${box === b ? ' match-box--on' : ''}`}
            aria-current={box === b ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              setBox(b);
            }}
          >
            <span className="match-box__title">{t(`matching.disclosures.${b}`)}</span>
            <span className="match-box__hint">{t(`matching.disclosures.${b}Hint`)}</span>
            {b === 'incoming' && state.data && (pending > 0 || overdue > 0) && (
              <span className="match-box__counts">
                {pending > 0 && (
                  <span className="chip chip--info">
                    {t('matching.disclosures.pendingN', { n: formatNumber(pending) })}
                  </span>
                )}
                {overdue > 0 && (
                  <span className="chip chip--bad">
                    {t('matching.disclosures.overdueN', { n: formatNumber(overdue) })}
                  </span>
                )}
              </span>
            )}
          </Link>
        ))}
      </nav>
      {box === 'incoming' && overdue > 0 && (
        <p className="notice notice--bad" role="status" data-testid="overdue-notice">
          {t('matching.disclosures.overdueNotice', { n: formatNumber(overdue) })}
        </p>
      )}
      <div className="match-narrow">
        <FilterBar active={list.values.status !== ''} onClear={() => list.set('status', '')}>
          <ChoiceFilter
            label={t('matching.disclosures.status')}
            value={list.values.status}
            options={[
              { value: '', label: t('common.all') },
              ...STATUSES.map((s) => ({ value: s, label: t(`matching.disclosureStatus.${s}`) })),
            ]}
            onChange={(v) => list.set('status', v)}
          />
        </FilterBar>
      </div>
      <ListView
        state={state}
        empty={
          list.values.status
            ? t('matching.disclosures.emptyFiltered')
            : box === 'incoming'
              ? t('matching.disclosures.emptyIncoming')
              : t('matching.disclosures.emptyOutgoing')
        }
        skeleton={{ columns: 7 }}
        paging={paging}
      >
        {(data) => (
          <>
            <p className="muted result-count">{t('common.results', { total: data.total })}</p>
            <DataTable
              busy={state.loading}
              testId="disclosures-table"
              columns={[
                t('matching.reference'),
                box === 'incoming'
                  ? t('matching.disclosures.requestedBy')
                  : t('matching.disclosures.askedOf'),
                box === 'incoming' ? t('matching.disclosures.recordAsked') : t('matching.hits.yourRecord'),
                t('matching.score'),
                t('matching.disclosures.status'),
                t('matching.disclosures.deadline'),
              ]}
            >
              {data.items.map((d) => {
                const score = d.hit?.score ?? d.checkScore;
                const features = d.hit?.features ?? d.checkFeatures;
                const other = box === 'incoming' ? d.requesterOrganization : d.ownerOrganization;
                return (
                  <tr
                    key={d.id}
                    data-disclosure-id={d.id}
                    data-status={d.status}
                    {...rowLink(`/matching/disclosures/${d.id}`)}
                    className={`match-row${d.overdue ? ' match-row--overdue' : ''}`}
                  >
                    <td className="nowrap">
                      <Link
                        to={`/matching/disclosures/${d.id}`}
                        className="match-ref__code"
                        dir="ltr"
                        tabIndex={-1}
                      >
                        {d.reference}
                      </Link>
                      <div className="muted small" title={formatDateTime(d.createdAt)}>
                        {formatRelative(d.createdAt, now)}
                      </div>
                    </td>
                    <td className="small">
                      <span dir="auto">{other.name}</span>
                      {box === 'incoming' && d.requester && (
                        <div className="muted" dir="auto">
                          {d.requester.displayName}
                        </div>
                      )}
                    </td>
                    <td>
                      {d.ownRecord ? (
                        <RecordRefLink record={d.ownRecord} />
                      ) : (
                        <span className="muted">{t('matching.disclosure.fromCheck')}</span>
                      )}
                      <div className="small">
                        <span className="muted">{t('matching.request.purpose')}:</span>{' '}
                        {vocabLabel('purpose', d.purpose)}
                      </div>
                    </td>
                    <td>
                      {score !== null && score !== undefined ? (
                        <ScoreBar score={score} />
                      ) : (
                        <span className="muted">—</span>
                      )}
                      <FeatureChips features={features} />
                    </td>
                    <td>
                      <DisclosureStatusChip status={d.status} overdue={d.overdue} />
                    </td>
                    <td className="nowrap">
                      {d.status === 'pending' ? (
                        <Deadline deadlineAt={d.deadlineAt} now={now} />
                      ) : (
                        <span className="muted small" title={formatDateTime(d.decidedAt ?? d.deadlineAt)}>
                          {d.decidedAt
                            ? t('matching.disclosures.decided', { when: formatRelative(d.decidedAt, now) })
                            : '—'}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
          </>
        )}
      </ListView>
    </div>
  );
}
