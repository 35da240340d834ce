import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CRIME_AREAS, RECORD_STATUSES, TLP_LABELS } from '../../../../src/domain/vocabulary.js';
import { get } from '../../api/client.js';
import type { IntelRecord, Paged } from '../../api/types.js';
import { useCan } from '../../auth/session.js';
import { RecordStatusChip, TlpChip } from '../../ui/chips.js';
import { VocabOptions } from '../../ui/form.js';
import { formatDate } from '../../ui/format.js';
import { useListParams } from '../../ui/list-params.js';
import { Pagination } from '../../ui/pagination.js';
import { SearchInput } from '../../ui/search-input.js';
import { EmptyState, ErrorState, SkeletonRows } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';
import { loadOrganizations, loadSchemata } from './records-data.js';

const LIMIT = 25;

/** Records the user's organization may read, filtered in the database by the API. */
export function RecordsListPage() {
  const { t } = useTranslation();
  const canCreate = useCan('records.create');
  const list = useListParams(['q', 'schema', 'tlp', 'crimeArea', 'owner', 'status'] as const);
  const { data, error, loading, reload } = useApi(list.key, (signal) =>
    get<Paged<IntelRecord>>('/records', { ...list.values, limit: LIMIT, offset: list.offset }, signal),
  );
  const schemata = useApi('schemata', () => loadSchemata());
  const orgs = useApi('orgs', () => loadOrganizations());

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>{t('records.title')}</h1>
          <p className="muted">{t('records.intro')}</p>
        </div>
        {canCreate && (
          <Link to="/records/new" className="btn btn--primary">
            {t('records.new')}
          </Link>
        )}
      </header>
      <section className="filters" aria-label={t('common.filters')}>
        <SearchInput
          label={t('common.search')}
          placeholder={t('records.searchPlaceholder')}
          value={list.values.q}
          onChange={(v) => list.set('q', v)}
        />
        <div className="field">
          <label htmlFor="f-schema">{t('records.schema')}</label>
          <select
            id="f-schema"
            value={list.values.schema}
            onChange={(e) => list.set('schema', e.target.value)}
          >
            <option value="">{t('common.all')}</option>
            {(schemata.data ?? []).map((s) => (
              <option key={s.name} value={s.name}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-tlp">{t('records.tlp')}</label>
          <select id="f-tlp" value={list.values.tlp} onChange={(e) => list.set('tlp', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {TLP_LABELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-crime">{t('records.crimeArea')}</label>
          <select
            id="f-crime"
            value={list.values.crimeArea}
            onChange={(e) => list.set('crimeArea', e.target.value)}
          >
            <VocabOptions group="crimeArea" codes={CRIME_AREAS} all />
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-owner">{t('records.owner')}</label>
          <select id="f-owner" value={list.values.owner} onChange={(e) => list.set('owner', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {(orgs.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">{t('records.status')}</label>
          <select
            id="f-status"
            value={list.values.status}
            onChange={(e) => list.set('status', e.target.value)}
          >
            <VocabOptions group="recordStatus" codes={RECORD_STATUSES} all />
          </select>
        </div>
        {list.active && (
          <button type="button" className="btn btn--link" onClick={list.clear}>
            {t('common.clearFilters')}
          </button>
        )}
      </section>
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !data ? (
        <SkeletonRows columns={6} />
      ) : data && data.items.length === 0 ? (
        <EmptyState>{list.active ? t('records.empty') : t('records.emptyNoFilter')}</EmptyState>
      ) : data ? (
        <>
          <p className="muted result-count">{t('common.results', { total: data.total })}</p>
          <div className="table-wrap" aria-busy={loading}>
            <table className="table" data-testid="records-table">
              <thead>
                <tr>
                  <th scope="col">{t('records.caption')}</th>
                  <th scope="col">{t('records.tlp')}</th>
                  <th scope="col">{t('records.crimeAreas')}</th>
                  <th scope="col">{t('records.owner')}</th>
                  <th scope="col">{t('records.status')}</th>
                  <th scope="col">{t('records.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((r) => (
                  <tr key={r.id} data-record-id={r.id}>
                    <td>
                      <Link to={`/records/${r.id}`} className="strong">
                        {r.caption || r.id}
                      </Link>
                      <div className="muted small">
                        {schemata.data?.find((s) => s.name === r.schema)?.label ?? r.schema}
                      </div>
                    </td>
                    <td>
                      <TlpChip label={r.handling.tlp} />
                    </td>
                    <td className="small">
                      {r.crimeAreas.map((c) => vocabLabel('crimeArea', c)).join(', ')}
                    </td>
                    <td className="small">{r.owner.name}</td>
                    <td>
                      <RecordStatusChip status={r.status} />
                    </td>
                    <td className="small nowrap">{formatDate(r.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination total={data.total} limit={LIMIT} offset={list.offset} onChange={list.setOffset} />
        </>
      ) : null}
    </div>
  );
}
