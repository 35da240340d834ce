import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AGREEMENT_KINDS, AGREEMENT_STATUSES } from '../../../../src/domain/vocabulary.js';
import type { Agreement } from '../../api/types.js';
import { useCan } from '../../auth/session.js';
import { AgreementStatusChip } from '../../ui/chips.js';
import { FilterBar, SelectFilter, vocabFilterOptions } from '../../ui/filters.js';
import { formatDate } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { SearchInput } from '../../ui/search-input.js';
import { useListPage } from '../../ui/use-list-page.js';
import { vocabLabel } from '../../ui/vocab.js';

const LIMIT = 25;

/** Agreements the user's organization is party to, with status chips. */
export function AgreementsListPage() {
  const { t } = useTranslation();
  const canCreate = useCan('agreements.create');
  const { list, state, paging } = useListPage<Agreement, 'status' | 'kind' | 'q'>(
    '/agreements',
    ['status', 'kind', 'q'],
    LIMIT,
  );

  return (
    <div className="page">
      <PageHeader
        title={t('agreements.title')}
        intro={t('agreements.intro')}
        actions={
          canCreate && (
            <Link to="/agreements/new" className="btn btn--primary">
              {t('agreements.new')}
            </Link>
          )
        }
      />
      <FilterBar active={list.active} onClear={list.clear}>
        <SearchInput
          label={t('common.search')}
          placeholder={t('agreements.searchPlaceholder')}
          value={list.values.q}
          onChange={(v) => list.set('q', v)}
        />
        <SelectFilter
          label={t('agreements.status')}
          value={list.values.status}
          options={vocabFilterOptions('agreementStatus', AGREEMENT_STATUSES)}
          onChange={(v) => list.set('status', v)}
        />
        <SelectFilter
          label={t('agreements.kind')}
          value={list.values.kind}
          options={vocabFilterOptions('agreementKind', AGREEMENT_KINDS)}
          onChange={(v) => list.set('kind', v)}
        />
      </FilterBar>
      <ListView state={state} empty={t('agreements.empty')} skeleton={{ columns: 5 }} paging={paging}>
        {(data) => (
          <DataTable
            busy={state.loading}
            columns={[
              t('agreements.titleField'),
              t('agreements.status'),
              t('agreements.kind'),
              t('agreements.parties'),
              t('agreements.sunsetAt'),
            ]}
          >
            {data.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/agreements/${a.id}`} className="strong">
                    {a.title}
                  </Link>
                  <div className="muted small" dir="ltr">
                    {a.reference}
                  </div>
                </td>
                <td>
                  <AgreementStatusChip status={a.status} />
                  {a.flowing && <span className="flow-dot" title={t('agreements.flowing')} />}
                </td>
                <td className="small">{vocabLabel('agreementKind', a.kind)}</td>
                <td className="small">{a.parties.map((p) => p.organization.name).join(', ')}</td>
                <td className="small nowrap">{formatDate(a.sunsetAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListView>
    </div>
  );
}
