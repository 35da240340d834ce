import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CRIME_AREAS, RECORD_STATUSES, TLP_LABELS } from '../../../../src/domain/vocabulary.js';
import type { IntelRecord } from '../../api/types.js';
import { useCan } from '../../auth/session.js';
import { RecordStatusChip, TlpChip } from '../../ui/chips.js';
import { FilterBar, plainFilterOptions, SelectFilter, vocabFilterOptions } from '../../ui/filters.js';
import { formatDate } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { SearchInput } from '../../ui/search-input.js';
import { useApi } from '../../ui/use-api.js';
import { useListPage } from '../../ui/use-list-page.js';
import { vocabLabel } from '../../ui/vocab.js';
import { loadOrganizations, loadSchemata } from './records-data.js';

const LIMIT = 25;

type RecordFilter = 'q' | 'schema' | 'tlp' | 'crimeArea' | 'owner' | 'status';

/** Records the user's organization may read, filtered in the database by the API. */
export function RecordsListPage() {
  const { t } = useTranslation();
  const canCreate = useCan('records.create');
  const { list, state, paging } = useListPage<IntelRecord, RecordFilter>(
    '/records',
    ['q', 'schema', 'tlp', 'crimeArea', 'owner', 'status'],
    LIMIT,
  );
  const schemata = useApi('schemata', () => loadSchemata());
  const orgs = useApi('orgs', () => loadOrganizations());

  return (
    <div className="page">
      <PageHeader
        title={t('records.title')}
        intro={t('records.intro')}
        actions={
          canCreate && (
            <Link to="/records/new" className="btn btn--primary">
              {t('records.new')}
            </Link>
          )
        }
      />
      <FilterBar active={list.active} onClear={list.clear}>
        <SearchInput
          label={t('common.search')}
          placeholder={t('records.searchPlaceholder')}
          value={list.values.q}
          onChange={(v) => list.set('q', v)}
        />
        <SelectFilter
          label={t('records.schema')}
          value={list.values.schema}
          options={(schemata.data ?? []).map((s) => ({ value: s.name, label: s.label }))}
          onChange={(v) => list.set('schema', v)}
        />
        <SelectFilter
          label={t('records.tlp')}
          value={list.values.tlp}
          options={plainFilterOptions(TLP_LABELS)}
          onChange={(v) => list.set('tlp', v)}
        />
        <SelectFilter
          label={t('records.crimeArea')}
          value={list.values.crimeArea}
          options={vocabFilterOptions('crimeArea', CRIME_AREAS)}
          onChange={(v) => list.set('crimeArea', v)}
        />
        <SelectFilter
          label={t('records.owner')}
          value={list.values.owner}
          options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          onChange={(v) => list.set('owner', v)}
        />
        <SelectFilter
          label={t('records.status')}
          value={list.values.status}
          options={vocabFilterOptions('recordStatus', RECORD_STATUSES)}
          onChange={(v) => list.set('status', v)}
        />
      </FilterBar>
      <ListView
        state={state}
        empty={list.active ? t('records.empty') : t('records.emptyNoFilter')}
        skeleton={{ columns: 6 }}
        paging={paging}
      >
        {(data) => (
          <>
            <p className="muted result-count">{t('common.results', { total: data.total })}</p>
            <DataTable
              busy={state.loading}
              testId="records-table"
              columns={[
                t('records.caption'),
                t('records.tlp'),
                t('records.crimeAreas'),
                t('records.owner'),
                t('records.status'),
                t('records.updated'),
              ]}
            >
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
                  <td className="small">{r.crimeAreas.map((c) => vocabLabel('crimeArea', c)).join(', ')}</td>
                  <td className="small">{r.owner.name}</td>
                  <td>
                    <RecordStatusChip status={r.status} />
                  </td>
                  <td className="small nowrap">{formatDate(r.updatedAt)}</td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </ListView>
    </div>
  );
}
