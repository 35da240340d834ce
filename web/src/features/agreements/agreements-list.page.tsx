import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AGREEMENT_KINDS, AGREEMENT_STATUSES } from '../../../../src/domain/vocabulary.js';
import { get } from '../../api/client.js';
import type { Agreement, Paged } from '../../api/types.js';
import { useCan } from '../../auth/session.js';
import { AgreementStatusChip } from '../../ui/chips.js';
import { VocabOptions } from '../../ui/form.js';
import { formatDate } from '../../ui/format.js';
import { useListParams } from '../../ui/list-params.js';
import { Pagination } from '../../ui/pagination.js';
import { SearchInput } from '../../ui/search-input.js';
import { EmptyState, ErrorState, SkeletonRows } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';

const LIMIT = 25;

/** Agreements the user's organization is party to, with status chips. */
export function AgreementsListPage() {
  const { t } = useTranslation();
  const canCreate = useCan('agreements.create');
  const list = useListParams(['status', 'kind', 'q'] as const);
  const { data, error, loading, reload } = useApi(list.key, (signal) =>
    get<Paged<Agreement>>('/agreements', { ...list.values, limit: LIMIT, offset: list.offset }, signal),
  );

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>{t('agreements.title')}</h1>
          <p className="muted">{t('agreements.intro')}</p>
        </div>
        {canCreate && (
          <Link to="/agreements/new" className="btn btn--primary">
            {t('agreements.new')}
          </Link>
        )}
      </header>
      <section className="filters" aria-label={t('common.filters')}>
        <SearchInput
          label={t('common.search')}
          placeholder={t('agreements.searchPlaceholder')}
          value={list.values.q}
          onChange={(v) => list.set('q', v)}
        />
        <div className="field">
          <label htmlFor="f-status">{t('agreements.status')}</label>
          <select
            id="f-status"
            value={list.values.status}
            onChange={(e) => list.set('status', e.target.value)}
          >
            <VocabOptions group="agreementStatus" codes={AGREEMENT_STATUSES} all />
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-kind">{t('agreements.kind')}</label>
          <select id="f-kind" value={list.values.kind} onChange={(e) => list.set('kind', e.target.value)}>
            <VocabOptions group="agreementKind" codes={AGREEMENT_KINDS} all />
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
        <SkeletonRows columns={5} />
      ) : data && data.items.length === 0 ? (
        <EmptyState>{t('agreements.empty')}</EmptyState>
      ) : data ? (
        <>
          <div className="table-wrap" aria-busy={loading}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('agreements.titleField')}</th>
                  <th scope="col">{t('agreements.status')}</th>
                  <th scope="col">{t('agreements.kind')}</th>
                  <th scope="col">{t('agreements.parties')}</th>
                  <th scope="col">{t('agreements.sunsetAt')}</th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </div>
          <Pagination total={data.total} limit={LIMIT} offset={list.offset} onChange={list.setOffset} />
        </>
      ) : null}
    </div>
  );
}
