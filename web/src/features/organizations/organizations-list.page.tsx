import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ORGANIZATION_KINDS, REGIONS } from '../../../../src/domain/vocabulary.js';
import type { Organization } from '../../api/types.js';
import { FilterBar, SelectFilter, vocabFilterOptions } from '../../ui/filters.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { SearchInput } from '../../ui/search-input.js';
import { useListPage } from '../../ui/use-list-page.js';
import { vocabLabel } from '../../ui/vocab.js';

const LIMIT = 25;

/** The organizations directory: filter by kind and region, search by name. */
export function OrganizationsListPage() {
  const { t } = useTranslation();
  const { list, state, paging } = useListPage<Organization, 'kind' | 'region' | 'q'>(
    '/organizations',
    ['kind', 'region', 'q'],
    LIMIT,
  );

  return (
    <div className="page">
      <PageHeader title={t('organizations.title')} intro={t('organizations.intro')} />
      <FilterBar active={list.active} onClear={list.clear}>
        <SearchInput
          label={t('common.search')}
          placeholder={t('organizations.searchPlaceholder')}
          value={list.values.q}
          onChange={(v) => list.set('q', v)}
        />
        <SelectFilter
          label={t('organizations.kind')}
          value={list.values.kind}
          options={vocabFilterOptions('orgKind', ORGANIZATION_KINDS)}
          onChange={(v) => list.set('kind', v)}
        />
        <SelectFilter
          label={t('organizations.region')}
          value={list.values.region}
          options={vocabFilterOptions('region', REGIONS)}
          onChange={(v) => list.set('region', v)}
        />
      </FilterBar>
      <ListView state={state} empty={t('organizations.empty')} skeleton={{ columns: 5 }} paging={paging}>
        {(data) => (
          <DataTable
            busy={state.loading}
            columns={[
              t('organizations.name'),
              t('organizations.kind'),
              t('organizations.agencyType'),
              t('organizations.region'),
              t('organizations.countries'),
            ]}
          >
            {data.items.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/organizations/${o.id}`} className="strong">
                    {o.name}
                  </Link>
                  {o.shortName && <span className="muted"> · {o.shortName}</span>}
                </td>
                <td>{vocabLabel('orgKind', o.kind)}</td>
                <td>{vocabLabel('agencyType', o.agencyType)}</td>
                <td>{vocabLabel('region', o.region)}</td>
                <td dir="ltr" className="cell--codes">
                  {o.countries.join(', ') || '—'}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListView>
    </div>
  );
}
