import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ORGANIZATION_KINDS, REGIONS } from '../../../../src/domain/vocabulary.js';
import { get } from '../../api/client.js';
import type { Organization, Paged } from '../../api/types.js';
import { VocabOptions } from '../../ui/form.js';
import { useListParams } from '../../ui/list-params.js';
import { Pagination } from '../../ui/pagination.js';
import { SearchInput } from '../../ui/search-input.js';
import { EmptyState, ErrorState, SkeletonRows } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';

const LIMIT = 25;

/** The organizations directory: filter by kind and region, search by name. */
export function OrganizationsListPage() {
  const { t } = useTranslation();
  const list = useListParams(['kind', 'region', 'q'] as const);
  const { data, error, loading, reload } = useApi(list.key, (signal) =>
    get<Paged<Organization>>('/organizations', { ...list.values, limit: LIMIT, offset: list.offset }, signal),
  );

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>{t('organizations.title')}</h1>
          <p className="muted">{t('organizations.intro')}</p>
        </div>
      </header>
      <section className="filters" aria-label={t('common.filters')}>
        <SearchInput
          label={t('common.search')}
          placeholder={t('organizations.searchPlaceholder')}
          value={list.values.q}
          onChange={(v) => list.set('q', v)}
        />
        <div className="field">
          <label htmlFor="f-kind">{t('organizations.kind')}</label>
          <select id="f-kind" value={list.values.kind} onChange={(e) => list.set('kind', e.target.value)}>
            <VocabOptions group="orgKind" codes={ORGANIZATION_KINDS} all />
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-region">{t('organizations.region')}</label>
          <select
            id="f-region"
            value={list.values.region}
            onChange={(e) => list.set('region', e.target.value)}
          >
            <VocabOptions group="region" codes={REGIONS} all />
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
        <EmptyState>{t('organizations.empty')}</EmptyState>
      ) : data ? (
        <>
          <div className="table-wrap" aria-busy={loading}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('organizations.name')}</th>
                  <th scope="col">{t('organizations.kind')}</th>
                  <th scope="col">{t('organizations.agencyType')}</th>
                  <th scope="col">{t('organizations.region')}</th>
                  <th scope="col">{t('organizations.countries')}</th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </div>
          <Pagination total={data.total} limit={LIMIT} offset={list.offset} onChange={list.setOffset} />
        </>
      ) : null}
    </div>
  );
}
