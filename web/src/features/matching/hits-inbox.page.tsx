import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { HitList } from '../../api/types.js';
import { useMe } from '../../auth/session.js';
import { FilterBar, SelectFilter } from '../../ui/filters.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { SearchInput } from '../../ui/search-input.js';
import { useApi } from '../../ui/use-api.js';
import { tLoose } from '../../ui/vocab.js';
import { loadSchemata } from '../records/records-data.js';
import {
  formatRelative,
  MATCH_CHANGED_EVENT,
  matchAbilities,
  useMatchList,
  useNow,
} from './matching-data.js';
import {
  CapNote,
  ChoiceFilter,
  Deadline,
  DisclosureStatusChip,
  FeatureChips,
  HitStateChip,
  RecordRefLink,
  ScoreBar,
  useRowLink,
} from './matching-ui.js';

const PAGE_SIZE = 25;

type HitFilter = 'q' | 'status' | 'state';

/** The organization's hits: its records that match records of other organizations, newest first. */
export function HitsInboxPage() {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow();
  const rowLink = useRowLink();
  const { list, state, paging } = useMatchList<HitList, HitFilter>(
    '/match/hits',
    ['q', 'status', 'state'],
    PAGE_SIZE,
  );
  const schemata = useApi('schemata', () => loadSchemata());
  const schemaLabel = (name: string) => schemata.data?.find((s) => s.name === name)?.label ?? name;
  const { reload } = state;
  useEffect(() => {
    window.addEventListener(MATCH_CHANGED_EVENT, reload);
    return () => window.removeEventListener(MATCH_CHANGED_EVENT, reload);
  }, [reload]);

  const unseen = state.data?.unseen ?? 0;
  return (
    <div className="page">
      <PageHeader
        title={t('matching.hits.title')}
        intro={t('matching.hits.intro')}
        actions={
          matchAbilities(me).act && (
            <Link to="/matching/check" className="btn btn--primary">
              {t('matching.check.title')}
            </Link>
          )
        }
      />
      {state.data && (
        <p className="match-summary" aria-live="polite" data-testid="unseen-count">
          {unseen > 0 ? (
            <span className="chip chip--info">{t('matching.hits.unseen', { n: formatNumber(unseen) })}</span>
          ) : (
            <span className="muted">{t('matching.hits.noneUnseen')}</span>
          )}
        </p>
      )}
      <FilterBar active={list.active} onClear={list.clear}>
        <SearchInput
          label={t('common.search')}
          placeholder={t('matching.hits.searchPlaceholder')}
          value={list.values.q}
          onChange={(v) => list.set('q', v)}
        />
        <ChoiceFilter
          label={t('matching.hits.status')}
          value={list.values.status}
          options={[
            { value: '', label: t('matching.hitStatus.open') },
            { value: 'closed', label: t('matching.hitStatus.closed') },
            { value: 'all', label: t('common.all') },
          ]}
          onChange={(v) => list.set('status', v)}
        />
        <SelectFilter
          label={t('matching.hits.state')}
          value={list.values.state}
          options={(['new', 'seen', 'dismissed'] as const).map((s) => ({
            value: s,
            label: t(`matching.hitState.${s}`),
          }))}
          onChange={(v) => list.set('state', v)}
        />
      </FilterBar>
      <ListView
        state={state}
        empty={list.active ? t('matching.hits.emptyFiltered') : t('matching.hits.empty')}
        skeleton={{ columns: 7 }}
        paging={paging}
      >
        {(data) => (
          <>
            <p className="muted result-count">{t('common.results', { total: data.total })}</p>
            <DataTable
              busy={state.loading}
              testId="hits-table"
              columns={[
                t('matching.reference'),
                t('matching.hits.yourRecord'),
                t('matching.otherOrganization'),
                t('matching.score'),
                t('matching.features'),
                t('matching.hits.state'),
                t('matching.disclosureLabel'),
              ]}
            >
              {data.items.map((hit) => (
                <tr
                  key={hit.id}
                  data-hit-id={hit.id}
                  data-state={hit.state}
                  {...rowLink(`/matching/hits/${hit.id}`)}
                  className={`match-row${hit.state === 'new' ? ' match-row--new' : ''}${hit.status === 'closed' ? ' row--muted' : ''}`}
                >
                  <td className="nowrap">
                    <Link to={`/matching/hits/${hit.id}`} className="match-ref__code" dir="ltr" tabIndex={-1}>
                      {hit.reference}
                    </Link>
                    <div className="muted small" title={formatDateTime(hit.createdAt)}>
                      {formatRelative(hit.createdAt, now)}
                    </div>
                  </td>
                  <td>
                    <RecordRefLink record={hit.record} schemaLabel={schemaLabel(hit.record.schema)} />
                  </td>
                  <td className="small">{hit.otherOrganization.name}</td>
                  <td>
                    <ScoreBar score={hit.score} />
                  </td>
                  <td>
                    <FeatureChips features={hit.features} />
                    <CapNote count={hit.cappedKeys} compact />
                  </td>
                  <td>
                    {hit.status === 'closed' ? (
                      <span className="chip chip--muted">
                        {t('matching.hitStatus.closed')}
                        {hit.closedReason &&
                          ` · ${tLoose(`matching.closedReason.${hit.closedReason}`, { defaultValue: hit.closedReason })}`}
                      </span>
                    ) : (
                      <HitStateChip state={hit.state} />
                    )}
                  </td>
                  <td className="small">
                    {hit.disclosure ? (
                      <span className="stack stack--tight">
                        <DisclosureStatusChip
                          status={hit.disclosure.status}
                          overdue={hit.disclosure.overdue}
                        />
                        {hit.disclosure.status === 'pending' && (
                          <Deadline deadlineAt={hit.disclosure.deadlineAt} now={now} />
                        )}
                      </span>
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
    </div>
  );
}
