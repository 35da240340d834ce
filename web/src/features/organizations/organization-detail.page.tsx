import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { get } from '../../api/client.js';
import type { Organization, OrgRef } from '../../api/types.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { VocabTags } from '../../ui/chips.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';

function OrgLinks({ orgs, empty }: { orgs: OrgRef[]; empty: string }) {
  if (orgs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="link-list">
      {orgs.map((o) => (
        <li key={o.id}>
          <Link to={`/organizations/${o.id}`}>{o.name}</Link>{' '}
          <span className="muted">· {vocabLabel('orgKind', o.kind)}</span>
        </li>
      ))}
    </ul>
  );
}

/** One organization: kind, region, countries, agency type, crime areas and memberships. */
export function OrganizationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const {
    data: org,
    error,
    loading,
    reload,
  } = useApi(id, (signal) =>
    get<Organization>(`/organizations/${encodeURIComponent(id)}`, undefined, signal),
  );

  if (error?.status === 404 || error?.status === 400)
    return (
      <NotFoundPanel
        title={t('errors.notFoundTitle')}
        text={t('organizations.notFound')}
        back="/organizations"
      />
    );
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading || !org) return <Spinner block />;

  return (
    <div className="page">
      <Breadcrumbs trail={[{ to: '/organizations', label: t('organizations.title') }]} />
      <header className="page__header">
        <div>
          <h1>{org.name}</h1>
          <p className="muted">
            {[org.shortName, vocabLabel('orgKind', org.kind), vocabLabel('agencyType', org.agencyType)]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </div>
      </header>
      <div className="grid-2">
        <section className="card">
          <dl className="facts">
            <dt>{t('organizations.kind')}</dt>
            <dd>{vocabLabel('orgKind', org.kind)}</dd>
            <dt>{t('organizations.agencyType')}</dt>
            <dd>{vocabLabel('agencyType', org.agencyType)}</dd>
            <dt>{t('organizations.region')}</dt>
            <dd>{vocabLabel('region', org.region)}</dd>
            <dt>{t('organizations.countries')}</dt>
            <dd dir="ltr">{org.countries.join(', ') || '—'}</dd>
            <dt>{t('organizations.mfaRequired')}</dt>
            <dd>{org.mfaRequired ? t('common.yes') : t('common.no')}</dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t('organizations.crimeAreas')}</h2>
          <VocabTags group="crimeArea" codes={org.crimeAreas} />
        </section>
        <section className="card">
          <h2>{t('organizations.memberOf')}</h2>
          <OrgLinks orgs={org.memberOf} empty={t('organizations.noMemberships')} />
        </section>
        <section className="card">
          <h2>{t('organizations.members')}</h2>
          <OrgLinks orgs={org.members} empty={t('organizations.noMembers')} />
        </section>
      </div>
    </div>
  );
}
